"""Guards against bad input values, shared by every engine and by the platform.

Pure Python (no Django): engines may import it, `communs.core.validation` builds the form and API
types on it. Each guard raises a `ValueError` subclass whose message names the source, the line
and the field, so the caller shows it as it is:

- `finite`: numbers must be finite and within the quantity's plausible range;
- `limits`: depth of nested documents (JSON), CSV field size, ZIP and XLSX expansion caps;
- `geometry`: posted or uploaded polygons (finite coordinates, within France's extents, a vertex cap,
  rings that do not cross themselves).
"""
