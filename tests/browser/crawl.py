"""Crawl the site as one user and check every page: the helpers of `test_browser_crawl.py`.

What a page must pass (`page_problems`):
- no localised number in a machine attribute: SVG geometry (`x`, `width`, `viewBox`, `points`…),
  `style`, `data-*`, and the `value`/`max` of `<progress>`/`<meter>` (browsers reject "380,0");
- every chart of `communs.core.charts` (`figure.communs-chart`) has both axes with text and its
  table, and every drawn mark has a non-zero rendered size;
- no visible text that looks like a code identifier (snake_case words), outside `<code>`, `<kbd>`,
  `<samp>` and `<pre>`, and apart from e-mail addresses, URLs and file names.
axe-core, the HTTP status and the console are checked by the test itself.
"""

import re
from urllib.parse import urldefrag, urlsplit

# Links not followed, and why:
# - logging out would end the crawl's session; the admin is Django's own interface (staff only,
#   not a page of the services, and hundreds of links);
# - downloads and exports are files, not pages (their content is tested by each app's view tests);
# - the API answers JSON except /api/docs, which is a seed of the crawl.
SKIPPED_PREFIXES = ("/deconnexion/", "/admin/", "/static/", "/media/", "/api/")
DOWNLOAD_SUFFIXES = (
    ".csv",
    ".xlsx",
    ".parquet",
    ".zip",
    ".pdf",
    ".png",
    ".jpg",
    ".json",
    ".geojson",
    ".gpkg",
    ".tif",
    ".tiff",
    ".xml",
    ".txt",
    ".ods",
)
DOWNLOAD_WORDS = re.compile(r"/(export|telecharger|download|tuiles?|wmts|modele)[/.-]", re.I)


def followable(path: str) -> bool:
    if not path.startswith("/") or path.startswith(SKIPPED_PREFIXES):
        return False
    lowered = path.lower()
    return not lowered.endswith(DOWNLOAD_SUFFIXES) and not DOWNLOAD_WORDS.search(lowered)


def pattern_of(path: str) -> str:
    """A path with its identifiers blanked, so the crawl visits one page of each kind:
    /estimaction/commune/35238/ and /estimaction/commune/29019/ are the same page, and so are the
    catalogue's pages of the services (/services/<slug>/)."""
    if path.startswith("/services/"):
        return "/services/<slug>/"
    return "/".join("<n>" if re.search(r"\d", part) else part for part in path.split("/"))


def same_site_paths(hrefs: list[str], origin: str) -> list[str]:
    """Paths of the links on a page that stay on the site (no query string, no fragment)."""
    paths = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        paths.append(parts.path or "/")
    return paths


# The checks run in the page (the DOM as the browser built it, after scripts).
PAGE_CHECKS_JS = r"""
() => {
  const problems = [];
  const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(px|%|em|rem|pt)?$/;
  const SCALAR = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
                  "stroke-width", "font-size", "opacity", "fill-opacity", "stroke-opacity", "offset",
                  "dx", "dy", "stroke-dashoffset"];
  const LOCALISED = /\d[\u202f\u00a0]\d{3}|\d,\d/;
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.getAttribute("class") ? "." + el.getAttribute("class").trim().split(/\s+/).join(".") : "";
    return el.tagName.toLowerCase() + id + cls;
  };
  for (const el of document.querySelectorAll("svg, svg *")) {
    for (const name of SCALAR) {
      const value = el.getAttribute(name);
      if (value !== null && value.trim() !== "" && !NUMBER.test(value.trim())) {
        problems.push(`${describe(el)}: ${name}="${value}" is not a machine number`);
      }
    }
    const viewBox = el.getAttribute("viewBox");
    if (viewBox !== null) {
      const parts = viewBox.trim().split(/[\s,]+/);
      if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) {
        problems.push(`${describe(el)}: viewBox="${viewBox}" is not four machine numbers`);
      }
    }
    const points = el.getAttribute("points");
    if (points !== null) {
      const parts = points.trim().split(/[\s,]+/).filter(Boolean);
      if (parts.length % 2 !== 0 || !parts.every((p) => NUMBER.test(p)) || /[\u202f\u00a0]/.test(points)) {
        problems.push(`${describe(el)}: points="${points.slice(0, 60)}" are not machine numbers`);
      }
    }
  }
  for (const el of document.querySelectorAll("[style]")) {
    const FUNCTIONS = /\b(rgba?|hsla?|url|var|calc|cubic-bezier|translate\w*|scale\w*|matrix\w*)\([^)]*\)/gi;
    const style = el.getAttribute("style").replace(FUNCTIONS, "");
    if (LOCALISED.test(style)) {
      problems.push(`${describe(el)}: style="${el.getAttribute("style")}" has a localised number`);
    }
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (!attr.name.startsWith("data-")) continue;
      let value = attr.value.trim();
      try { JSON.parse(value); continue; } catch (e) { /* not JSON: check it as text */ }
      if (/^[-−]?\d[\d\u202f\u00a0]*,\d+\s*$/.test(value) || /\d[\u202f\u00a0]\d{3}/.test(value)) {
        problems.push(`${describe(el)}: ${attr.name}="${value}" is a localised number`);
      }
    }
  }
  for (const el of document.querySelectorAll("progress, meter")) {
    for (const name of ["value", "max", "min", "low", "high", "optimum"]) {
      const value = el.getAttribute(name);
      if (value !== null && !NUMBER.test(value.trim())) {
        problems.push(`${describe(el)}: ${name}="${value}" is not a machine number`);
      }
    }
  }
  // Charts: both axes with text, a table, and marks the browser actually draws.
  for (const figure of document.querySelectorAll("figure.communs-chart")) {
    const name = figure.id || "chart";
    for (const axis of ["x", "y"]) {
      const g = figure.querySelector(`.communs-chart__axis--${axis}`);
      if (!g || !g.querySelector("line") || !g.textContent.trim()) problems.push(`${name}: no labelled ${axis} axis`);
    }
    if (!figure.querySelector("table caption") || !figure.querySelector("table tbody tr")) {
      problems.push(`${name}: no data table`);
    }
    if (!figure.querySelector("figcaption")) problems.push(`${name}: no caption`);
    for (const mark of figure.querySelectorAll(".communs-chart__mark")) {
      const box = mark.getBBox();
      const line = mark.tagName.toLowerCase() === "polyline";
      const drawn = line ? box.width > 0 || box.height > 0 : box.width > 0 && box.height > 0;
      if (!drawn) {
        problems.push(`${name}: ${describe(mark)} is drawn with no size (width=${mark.getAttribute("width")})`);
      }
    }
  }
  // Visible text that looks like a code identifier.
  const SKIP = new Set(["CODE", "KBD", "SAMP", "PRE", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) {
        if (SKIP.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      }
      const parent = node.parentElement;
      if (!parent || !parent.getClientRects().length) return NodeFilter.FILTER_REJECT;
      const style = getComputedStyle(parent);
      if (style.visibility === "hidden" || style.display === "none") return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    },
  });
  const IDENT = /(^|[^\w@\/.:-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w@\/]|\.\w)/g;
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode.nodeValue;
    for (const match of text.matchAll(IDENT)) {
      if (!seen.has(match[2])) {
        seen.add(match[2]);
        problems.push(`visible code identifier "${match[2]}" in "${text.trim().slice(0, 80)}"`);
      }
    }
  }
  return problems;
}
"""


def page_problems(page) -> list[str]:
    return page.evaluate(PAGE_CHECKS_JS)


def page_links(page) -> list[str]:
    """Hrefs of the page's links, without those marked as downloads."""
    return page.eval_on_selector_all("a[href]:not([download])", "els => els.map(a => a.href)")
