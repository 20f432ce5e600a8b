"""The HTML report's outside checks.

  check_html.py parse FILE   parses FILE as HTML5 (html5lib, strict): prints each parse error, exits 1 on any
  check_html.py png FILE     prints {"width", "height", "colors", "non_background"} of a PNG screenshot:
                             distinct colours, and the share of pixels unlike the top-left one
"""
import json
import sys

mode, path = sys.argv[1], sys.argv[2]
if mode == "parse":
    import html5lib
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(open(path, "rb").read())
    errors = [f"{line}:{column}: {code} {data}" for (line, column), code, data in parser.errors]
    for error in errors:
        print(error)
    sys.exit(1 if errors else 0)
if mode == "png":
    import png
    width, height, rows, info = png.Reader(filename=path).asRGBA8()
    colors = set()
    background = None
    other = 0
    for row in rows:
        for x in range(0, len(row), 4):
            pixel = tuple(row[x:x + 3])
            if background is None:
                background = pixel
            colors.add(pixel)
            if pixel != background:
                other += 1
    print(json.dumps({"width": width, "height": height, "colors": len(colors), "non_background": other / (width * height)}))
    sys.exit(0)
sys.exit(f"unknown mode {mode}")
