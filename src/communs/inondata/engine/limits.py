"""The model's limits, stated on every output file and every page (one wording, one place)."""

MODEL_NAME = "Remplissage statique par niveau de débordement (priority-flood)"
LIMITS_FR = (
    "Modèle de remplissage statique : l'eau occupe toute cellule reliée au cours d'eau sous le niveau "
    "de la crue. Il ne conserve pas les volumes, ne tient compte ni du frottement ni de la vitesse "
    "d'écoulement, ni de la pluie, ni des ouvrages hydrauliques non présents dans le relief. "
    "À utiliser pour présenter un scénario, pas pour remplacer une étude hydraulique."
)
LIMITS_EN = "Static fill: no volume conservation, no friction, no rainfall."
LIMITS = {"fr": LIMITS_FR, "en": LIMITS_EN, "model": MODEL_NAME}
