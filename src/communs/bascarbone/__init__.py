"""État bas carbone: Bilans d'émissions de gaz à effet de serre (BEGES) des services de l'État."""
