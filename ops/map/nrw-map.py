#!/usr/bin/env python3
"""Turns mapshaper's projected, simplified NRW districts (see ops/map/build) into the compact reference data the service
ships: SVG path data in a fixed view box, keyed by Kreisschlüssel, the five Regierungsbezirke as outlines, label anchors."""
import json, sys

districts, regions, labels, out = sys.argv[1:5]
d = json.load(open(districts))
r = json.load(open(regions))
l = json.load(open(labels))

xs, ys = [], []
def walk(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from walk(c)
for f in d["features"]:
    for x, y in walk(f["geometry"]["coordinates"]):
        xs.append(x); ys.append(y)
minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
width = 560.0
scale = width / (maxx - minx)
height = round((maxy - miny) * scale, 1)

def pt(x, y):
    return round((x - minx) * scale, 1), round((maxy - y) * scale, 1)

def fmt(v):
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s

def path(geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    parts = []
    for poly in polys:
        for ring in poly:
            pts = [pt(x, y) for x, y in ring[:-1]]
            s = "M" + " L".join(f"{fmt(a)} {fmt(b)}" for a, b in pts) + "Z"
            parts.append(s)
    return "".join(parts)

def area(geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    total = 0.0
    for poly in polys:
        for i, ring in enumerate(poly):
            a = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                a += x1 * y2 - x2 * y1
            total += abs(a) / 2 * (1 if i == 0 else -1)
    return round(total * scale * scale, 1)

label = {f["properties"]["RS"]: pt(*f["geometry"]["coordinates"]) for f in l["features"]}
result = {
    "source": "Generalised from the BKG's Verwaltungsgebiete 1:250 000 (VG250, as of 2013) by the public file "
              "landkreise_simplify200.geojson (github.com/xlko/rscriptpost), projected to ETRS89/UTM 32N and simplified "
              "with mapshaper (ops/map/build).",
    "attribution": "© GeoBasis-DE / BKG (2013), dl-de/by-2-0 (www.govdata.de/dl-de/by-2-0), Daten verändert",
    "width": width,
    "height": height,
    "districts": sorted(({"code": f["properties"]["RS"], "path": path(f["geometry"]), "area": area(f["geometry"]),
                          "labelX": label[f["properties"]["RS"]][0], "labelY": label[f["properties"]["RS"]][1]}
                         for f in d["features"]), key=lambda x: x["code"]),
    "regions": sorted(({"code": f["properties"]["RB"], "path": path(f["geometry"])} for f in r["features"]), key=lambda x: x["code"]),
}
json.dump(result, open(out, "w"), ensure_ascii=False, indent=0, separators=(",", ":"))
