"""Demo data of the territorial reference: the real reference itself (idempotent).

Contours are not part of the demo: they are imported from the current IGN release by an operator.
"""

from communs.territoires.services import load_reference


def load_demo(stdout=None) -> dict:
    result = load_reference()
    if stdout is not None:
        communes = result["communes"]
        stdout.write(
            f"Référentiel territorial : {communes['created']} communes créées, {communes['updated']} modifiées."
        )
    return result
