"""French paraphrase pairs for the similar-question ranking (kept in the tests, measured by recall@3).

Each pair: a draft as a mayor might type it, and the published question it should find, written by
someone else with other words. The 30 unrelated questions are other topics of communal life or other
bridge defects, so a match must come from meaning, not from the word "pont".
"""

PAIRS: tuple[tuple[str, str], ...] = (
    (
        "Végétation sur un pont en maçonnerie : que faire ?",
        "Des arbustes poussent entre les pierres de notre vieux pont, faut-il les arracher ?",
    ),
    (
        "La pile a été creusée par la rivière après l'orage",
        "Affouillement au pied d'une pile après une crue : quelles mesures prendre ?",
    ),
    ("Le parapet du pont est tombé dans le ruisseau", "Garde-corps arraché sur un petit pont communal"),
    ("Il y a de la rouille sur les poutres en fer du pont", "Corrosion des poutrelles métalliques d'un pont ancien"),
    ("Une fissure est apparue sous l'arche et elle grandit", "Lézarde qui s'élargit sur la voûte d'un pont en pierre"),
    ("Les joints entre les pierres se creusent", "Mortier des joints qui part en poussière sur une maçonnerie"),
    (
        "Peut-on faire passer des camions de 40 tonnes sur notre pont ?",
        "Limiter le tonnage autorisé sur un ouvrage communal",
    ),
    (
        "Qui doit payer l'entretien d'un pont entre deux communes ?",
        "Répartition des charges d'entretien d'un ouvrage situé en limite de commune",
    ),
    ("Le pont bouge quand un tracteur passe dessus", "Tablier qui vibre fortement au passage des engins agricoles"),
    (
        "De l'eau coule à travers le pont quand il pleut",
        "Infiltrations et suintements sous la voûte par temps de pluie",
    ),
    ("Un camion a heurté le bord du pont", "Choc d'un poids lourd sur la structure d'un ouvrage"),
    (
        "Des troncs d'arbres sont bloqués contre le pont après la crue",
        "Embâcle accumulé contre les piles : comment l'enlever ?",
    ),
    (
        "Le mur qui tient la route le long de la rivière penche",
        "Mur de soutènement qui se déverse au-dessus du cours d'eau",
    ),
    ("Comment savoir si notre pont est en bon état ?", "Faire réaliser une inspection de l'état d'un ouvrage d'art"),
    ("Le goudron du pont est plein de trous", "Revêtement de chaussée dégradé sur le tablier"),
    ("Du béton se détache sous le pont et on voit les fers", "Éclatement du béton avec armatures apparentes"),
    (
        "Faut-il une autorisation pour réparer un pont sur une rivière ?",
        "Démarches au titre de la loi sur l'eau avant des travaux sur un ouvrage",
    ),
    (
        "Notre pont n'a jamais été visité, par où commencer ?",
        "Premier recensement et première visite d'un pont communal jamais inspecté",
    ),
    ("Le trottoir du pont s'enfonce", "Affaissement de la chaussée à l'entrée de l'ouvrage"),
    ("Des pierres tombent de la voûte", "Chute de moellons depuis l'intrados d'un pont maçonné"),
    (
        "Les barrières du pont sont trop basses pour les vélos",
        "Hauteur réglementaire des garde-corps pour les cyclistes",
    ),
    ("Le pont en bois est pourri par endroits", "Pourriture des pièces de bois d'une passerelle"),
    ("On voit de la mousse et de l'humidité sous le pont", "Traces d'humidité permanentes à l'intrados"),
    (
        "Peut-on élargir notre vieux pont pour deux voitures ?",
        "Élargissement d'un ouvrage ancien pour permettre le croisement",
    ),
    (
        "Quelles aides pour réparer un pont communal ?",
        "Financements possibles pour la réparation des ouvrages d'art des petites communes",
    ),
    ("Les canalisations accrochées au pont fuient", "Réseaux fixés sur l'ouvrage qui fuient : qui est responsable ?"),
    ("La rivière a emporté une partie de la berge près du pont", "Érosion de la rive à proximité d'une culée"),
    (
        "Comment fermer le pont à la circulation en urgence ?",
        "Arrêté municipal d'interdiction de circulation sur un ouvrage dangereux",
    ),
    ("Le béton du pont est tout noir et s'effrite", "Dégradation de surface du béton qui se désagrège"),
    (
        "Qui contacter pour un diagnostic de notre pont ?",
        "À quel service s'adresser pour faire expertiser un ouvrage ?",
    ),
    ("Les poteaux du pont penchent vers la rivière", "Pile inclinée vers l'aval"),
    (
        "Il y a des racines qui soulèvent les pierres du mur",
        "Arbres dont les racines déstabilisent un mur de soutènement en pierre",
    ),
    ("La neige et le sel abîment-ils notre pont ?", "Effet des sels de déverglaçage sur les ouvrages en béton"),
    ("Le bas de la pile est en train de se vider", "Déchaussement des fondations d'un appui en rivière"),
    ("Combien coûte une inspection de pont ?", "Coût d'une inspection détaillée pour un petit ouvrage"),
    ("Les garde-corps en fonte sont cassés", "Remplacement d'un parapet en fonte ancien endommagé"),
    ("Il faut repeindre le pont métallique ?", "Fréquence des travaux de peinture anticorrosion sur un pont en acier"),
    ("Des fissures en toile d'araignée sur le dessus du pont", "Faïençage du revêtement sur le tablier"),
    (
        "Le pont est inscrit aux monuments historiques, que peut-on faire ?",
        "Travaux sur un ouvrage protégé au titre des monuments historiques",
    ),
    ("Un trou s'est formé dans la route juste avant le pont", "Cavité sous la chaussée à l'approche de l'ouvrage"),
    ("Les enfants passent par-dessus la barrière du pont", "Garde-corps facilement escaladable près d'une école"),
    ("Les eaux de pluie stagnent sur le pont", "Évacuation des eaux pluviales bouchée sur le tablier"),
)

UNRELATED: tuple[str, ...] = (
    "Horaires d'ouverture de la salle des fêtes",
    "Organisation du repas des aînés en décembre",
    "Inscription des enfants à la cantine scolaire",
    "Élagage des haies le long des chemins ruraux",
    "Règlement du cimetière communal et concessions",
    "Éclairage public : passage aux lampes LED",
    "Recrutement d'un agent technique polyvalent",
    "Budget primitif et vote des taux d'imposition",
    "Collecte des ordures ménagères le lundi férié",
    "Installation d'une borne de recharge électrique",
    "Ramassage des encombrants dans le bourg",
    "Révision du plan local d'urbanisme",
    "Demande de permis de construire pour une véranda",
    "Nuisances sonores d'un bar le samedi soir",
    "Location du terrain de football au club",
    "Chiens errants dans le lotissement",
    "Entretien des bornes à incendie",
    "Fibre optique : calendrier du déploiement",
    "Marché hebdomadaire : placement des commerçants",
    "Accueil périscolaire le mercredi",
    "Vitesse excessive devant l'école : ralentisseurs",
    "Stationnement gênant sur la place de la mairie",
    "Déneigement des routes communales",
    "Nettoyage des fossés avant l'hiver",
    "Réfection de la toiture de l'église",
    "Fleurissement du village pour le concours",
    "Chauffage de la mairie : changement de chaudière",
    "Transport scolaire : nouvel arrêt de car",
    "Commémoration du 11 novembre",
    "Création d'un jardin partagé",
)
