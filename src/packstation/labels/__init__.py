"""SSCC numbers, GS1-128 package labels (SVG, PNG, ZPL), printing and the command sheet.

Modules: `sscc` (numbers), `label` (what a label says), `label_layout` / `layout` (where),
`render_svg` / `render_png` / `render_zpl` / `render` (output), `printing` (print or spool),
`command_sheet`, `cli`. No Textual, SQLite or sandbox imports here.
"""
