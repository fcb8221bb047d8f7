package corpus

// topic is one subject a resource may be about: what it teaches (action),
// what it deals with (subject) and words its contents use.
type topic struct {
	action, subject string
	words           []string
}

var topics = []topic{
	{"créer une adresse électronique", "la messagerie en ligne", []string{"le courriel", "la boîte de réception", "la pièce jointe", "l'identifiant", "le mot de passe"}},
	{"envoyer un courriel avec une pièce jointe", "la correspondance numérique", []string{"le destinataire", "l'objet du message", "la pièce jointe", "le brouillon"}},
	{"sécuriser ses mots de passe", "la sécurité des comptes", []string{"le gestionnaire de mots de passe", "la double authentification", "l'hameçonnage", "le code de vérification"}},
	{"repérer une tentative d'hameçonnage", "les arnaques en ligne", []string{"le faux message", "le lien frauduleux", "l'expéditeur inconnu", "le signalement"}},
	{"protéger ses données personnelles", "la vie privée en ligne", []string{"les cookies", "les paramètres de confidentialité", "le RGPD", "les traces numériques"}},
	{"faire ses démarches administratives en ligne", "les services publics numériques", []string{"FranceConnect", "le compte ameli", "la déclaration de revenus", "le dossier CAF"}},
	{"prendre rendez-vous chez le médecin en ligne", "la santé numérique", []string{"l'espace santé", "la téléconsultation", "l'ordonnance", "la carte Vitale"}},
	{"utiliser un smartphone", "la prise en main du téléphone", []string{"l'écran tactile", "les applications", "les notifications", "le réglage du volume"}},
	{"maîtriser la souris et le clavier", "les premiers pas sur ordinateur", []string{"le clic droit", "le double-clic", "la touche entrée", "le curseur"}},
	{"rechercher une information fiable", "la recherche sur internet", []string{"le moteur de recherche", "les mots-clés", "la source", "la date de publication"}},
	{"vérifier une information", "l'éducation aux médias", []string{"la fausse nouvelle", "la source primaire", "la rumeur", "le recoupement"}},
	{"organiser ses fichiers et dossiers", "la gestion des documents", []string{"l'arborescence", "le dossier partagé", "la sauvegarde", "le nuage"}},
	{"sauvegarder ses photos", "la conservation des souvenirs", []string{"le disque externe", "le stockage en ligne", "l'album", "la synchronisation"}},
	{"participer à une visioconférence", "la communication à distance", []string{"la caméra", "le micro", "le lien de réunion", "le partage d'écran"}},
	{"utiliser les réseaux sociaux", "la présence en ligne", []string{"le profil", "la publication", "les abonnés", "les paramètres de visibilité"}},
	{"accompagner les parents face aux écrans", "la parentalité numérique", []string{"le temps d'écran", "le contrôle parental", "les jeux vidéo", "le dialogue en famille"}},
	{"découvrir l'intelligence artificielle", "les outils d'IA générative", []string{"l'agent conversationnel", "l'invite", "les biais", "la vérification des réponses"}},
	{"initier les enfants au code", "la programmation créative", []string{"Scratch", "la boucle", "la variable", "le robot"}},
	{"réduire l'empreinte environnementale du numérique", "la sobriété numérique", []string{"le reconditionnement", "la durée de vie des appareils", "le streaming", "les données stockées"}},
	{"choisir un ordinateur reconditionné", "le matériel reconditionné", []string{"la garantie", "le label", "la batterie", "le système d'exploitation"}},
	{"rendre un document accessible", "l'accessibilité numérique", []string{"le contraste", "le texte alternatif", "le lecteur d'écran", "la navigation au clavier"}},
	{"accueillir une personne en situation de handicap", "l'accompagnement adapté", []string{"la loupe d'écran", "la synthèse vocale", "le rythme", "la reformulation"}},
	{"animer un atelier collectif", "la médiation numérique", []string{"le déroulé", "la fiche d'émargement", "le tour de table", "l'évaluation"}},
	{"réaliser un diagnostic des compétences numériques", "le diagnostic des usagers", []string{"le questionnaire", "le niveau de départ", "le parcours personnalisé", "Pix"}},
	{"chercher un emploi en ligne", "l'insertion professionnelle", []string{"le CV", "la lettre de motivation", "France Travail", "l'offre d'emploi"}},
	{"créer son entreprise avec le numérique", "l'entrepreneuriat", []string{"le site vitrine", "la facturation", "les réseaux professionnels", "le statut"}},
	{"utiliser des logiciels libres", "les communs numériques", []string{"la licence libre", "LibreOffice", "la communauté", "le code source"}},
	{"comprendre l'hébergement des données", "la souveraineté numérique", []string{"le centre de données", "le fournisseur", "la localisation", "le chiffrement"}},
	{"payer en ligne en toute sécurité", "le commerce électronique", []string{"la carte bancaire", "le code de confirmation", "le site sécurisé", "la livraison"}},
	{"gérer ses comptes bancaires en ligne", "la banque en ligne", []string{"le virement", "le relevé", "l'application bancaire", "l'authentification forte"}},
	{"se déplacer grâce aux applications de mobilité", "les mobilités", []string{"l'itinéraire", "le covoiturage", "le billet dématérialisé", "la carte interactive"}},
	{"créer une vidéo avec son téléphone", "la création multimédia", []string{"le montage", "le cadrage", "la musique libre de droits", "l'export"}},
	{"rédiger un document avec un traitement de texte", "la bureautique", []string{"la mise en forme", "le titre", "l'export en PDF", "l'orthographe"}},
	{"utiliser un tableur", "le calcul et les données", []string{"la cellule", "la formule", "le graphique", "le filtre"}},
	{"s'engager dans la vie citoyenne en ligne", "la citoyenneté numérique", []string{"la pétition", "la consultation publique", "le vote", "le débat"}},
	{"former les aidants numériques", "la professionnalisation des aidants", []string{"Aidants Connect", "le mandat", "la posture", "l'éthique"}},
	{"jouer ensemble aux jeux vidéo", "la culture vidéoludique", []string{"la console", "le jeu coopératif", "le classement PEGI", "la pause"}},
	{"utiliser les outils collaboratifs", "le travail en équipe", []string{"le document partagé", "l'agenda", "la messagerie d'équipe", "les droits d'accès"}},
	{"installer et mettre à jour une application", "l'entretien des appareils", []string{"le magasin d'applications", "la mise à jour", "les autorisations", "l'espace de stockage"}},
	{"connaître les territoires connectés", "les territoires durables", []string{"les données ouvertes", "la fibre", "les capteurs", "la collectivité"}},
}

var formats = []string{"Atelier", "Fiche pratique", "Tutoriel", "Guide", "Parcours", "Module de formation", "Kit d'animation", "Webinaire", "Infographie", "Quiz"}

var audiences = []string{"pour les grands débutants", "avec des seniors", "pour les jeunes", "en famille", "pour les personnes allophones",
	"avec des demandeurs d'emploi", "pour les aidants numériques", "pour les médiateurs numériques", "en bibliothèque", "en maison France services"}

var openers = []string{"cet atelier permet d'apprendre à", "ce guide explique comment", "une séance pour", "ce module aide les participants à",
	"ce support montre pas à pas comment", "une ressource clé en main pour"}

var middles = []string{"les participants découvrent", "on aborde", "la séance fait le point sur", "le support présente",
	"des exercices concrets portent sur", "les animateurs y trouvent des conseils sur"}

var closers = []string{"Aucun prérequis n'est nécessaire.", "Prévoir une heure et demie.", "Le support est modifiable et réutilisable.",
	"Des fiches à imprimer accompagnent la séance.", "Convient aux ateliers collectifs comme à l'accompagnement individuel.",
	"Une évaluation rapide clôt la séance."}

var sections = []string{"objectifs", "déroulé", "matériel nécessaire", "conseils d'animation", "pour aller plus loin", "évaluation", "introduction", "mise en pratique"}

var steps = []string{"présenter", "expliquer", "montrer", "faire manipuler", "vérifier", "rappeler", "comparer", "discuter"}

var details = []string{"avec un exemple concret", "à partir des questions du groupe", "en binôme", "sur les appareils des participants",
	"au vidéoprojecteur", "en laissant le temps de manipuler", "avec une fiche mémo", "en fin de séance"}

var orgKinds = []string{"Espace public numérique de", "Association numérique de", "Médiathèque de", "Centre social de", "Maison France services de",
	"Fab lab de", "Coopérative numérique de", "Conseil départemental de", "Mairie de", "Tiers-lieu de", "Hub numérique de", "Mission locale de"}

var places = []string{"Évry", "Saint-Étienne", "Besançon", "Orléans", "Nîmes", "Périgueux", "Châteauroux", "Quimper", "Angoulême", "Bourg-en-Bresse",
	"Aubervilliers", "Roubaix", "Mâcon", "Gap", "Foix", "Épinal", "Alès", "Béziers", "Vénissieux", "Brest", "Créteil", "Lens", "Thionville",
	"Cergy", "Saint-Denis", "Pointe-à-Pitre", "Cayenne", "Ajaccio", "Limoges", "Guéret"}
