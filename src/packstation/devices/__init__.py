"""The bench's hardware: scales (serial MT-SICS, continuous output, USB HID) and printers.

Protocol parsing lives in pure modules (`sics`, `continuous`, `hid_report`, `zpl_status`) apart
from the transports that move bytes (`serial_scale`, `hid_scale`, `raw_tcp`, `cups`), so each
parser is tested on bytes alone and each transport against a simulated device.
"""
