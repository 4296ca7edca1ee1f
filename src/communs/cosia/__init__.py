"""CoSIA: Cartes de prédiction de la couverture du sol."""
