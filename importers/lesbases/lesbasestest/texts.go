package lesbasestest

// The texts of the fixture are written for these tests: they describe
// plausible workshops of digital mediation but are not taken from Les Bases.

type topic struct {
	title, theme, description, goal string
	steps                           []string
}

var topics = []topic{
	{"Créer son adresse e-mail", "Maîtrise des outils numériques",
		"Un atelier pour ouvrir une boîte aux lettres électronique, choisir un mot de passe solide et envoyer un premier message.",
		"À la fin de l'atelier, chaque participant sait se connecter à sa messagerie et envoyer un message avec une pièce jointe.",
		[]string{"Choisir un fournisseur de messagerie.", "Remplir le formulaire d'inscription.", "Noter l'adresse sur la fiche mémo.", "Envoyer un message à l'animateur."}},
	{"Reconnaître un message d'hameçonnage", "Risques cyber et protection",
		"Repérer les faux messages de la banque, des impôts ou d'un transporteur avant de cliquer.",
		"Savoir reconnaître les signes d'un message frauduleux et savoir le signaler.",
		[]string{"Lire l'adresse de l'expéditeur.", "Survoler le lien sans cliquer.", "Chercher les fautes et l'urgence artificielle.", "Signaler le message sur la plateforme officielle."}},
	{"Prendre rendez-vous chez un médecin en ligne", "Numérique en santé",
		"Utiliser un service de prise de rendez-vous médical et gérer ses rappels.",
		"Prendre, déplacer et annuler un rendez-vous en autonomie.",
		[]string{"Créer un compte patient.", "Chercher un praticien par spécialité.", "Choisir un créneau.", "Activer les rappels par SMS."}},
	{"Se connecter avec FranceConnect", "Aide aux démarches administratives",
		"Comprendre FranceConnect et l'utiliser pour accéder aux services publics en ligne.",
		"Se connecter à un service public avec un compte existant, sans créer de nouveau mot de passe.",
		[]string{"Ouvrir le site du service public.", "Cliquer sur le bouton FranceConnect.", "Choisir son compte d'identité.", "Vérifier les informations transmises."}},
	{"Déclarer ses revenus en ligne", "Aide aux démarches administratives",
		"Accompagner la déclaration de revenus sur le site des impôts, pas à pas.",
		"Vérifier une déclaration préremplie et la signer en ligne.",
		[]string{"Se connecter à l'espace particulier.", "Vérifier les montants préremplis.", "Corriger ou compléter.", "Signer et télécharger l'accusé de réception."}},
	{"Découvrir l'intelligence artificielle générative", "Intelligence artificielle",
		"Ce que fait un assistant conversationnel, ce qu'il ne fait pas, et comment vérifier ses réponses.",
		"Formuler une demande, critiquer la réponse et citer ses sources.",
		[]string{"Poser une question simple.", "Comparer la réponse avec une source fiable.", "Reformuler la demande.", "Discuter des limites et des biais."}},
	{"Réparer plutôt que jeter son smartphone", "Matériel reconditionné",
		"Diagnostiquer les pannes courantes et trouver un réparateur ou un appareil reconditionné.",
		"Savoir quand réparer, quand reconditionner et où déposer un appareil usagé.",
		[]string{"Identifier la panne.", "Estimer le coût de la réparation.", "Comparer avec un appareil reconditionné.", "Trouver un point de collecte."}},
	{"Protéger ses mots de passe", "Risques cyber et protection",
		"Choisir des phrases de passe, utiliser un gestionnaire et activer la double authentification.",
		"Mettre en place un gestionnaire de mots de passe et la double authentification sur un compte important.",
		[]string{"Évaluer ses mots de passe actuels.", "Installer un gestionnaire.", "Créer une phrase de passe maîtresse.", "Activer la double authentification."}},
	{"Accompagner son enfant sur les réseaux sociaux", "Parentalité",
		"Paramétrer la confidentialité d'un compte et parler des usages en famille.",
		"Connaître les réglages de confidentialité et les ressources pour en parler avec son enfant.",
		[]string{"Lister les applications utilisées.", "Régler la confidentialité du compte.", "Établir des règles communes.", "Savoir où signaler un contenu."}},
	{"Initier les enfants au code", "Code & programmation",
		"Une séance de programmation par blocs pour les 8-12 ans, sans prérequis.",
		"Écrire un petit programme qui anime un personnage.",
		[]string{"Découvrir l'interface de blocs.", "Faire avancer le personnage.", "Ajouter une boucle.", "Présenter son programme au groupe."}},
	{"Démêler le vrai du faux en ligne", "Éducation aux médias",
		"Vérifier une image, une citation ou une information avant de la partager.",
		"Appliquer trois vérifications simples avant tout partage.",
		[]string{"Chercher la source d'origine.", "Faire une recherche d'image inversée.", "Consulter un site de vérification.", "Décider de partager ou non."}},
	{"Appeler sa famille en visio", "Loisirs et créations numériques",
		"Installer une application de visioconférence et passer un premier appel.",
		"Passer et recevoir un appel vidéo en autonomie.",
		[]string{"Installer l'application.", "Ajouter un contact.", "Lancer l'appel.", "Régler le son et la caméra."}},
	{"Chercher un emploi en ligne", "Emploi & entrepreunariat",
		"Créer son profil, déposer son CV et activer des alertes sur les sites d'offres d'emploi.",
		"Publier un CV et recevoir des offres correspondant à son projet.",
		[]string{"Créer son espace candidat.", "Mettre en forme son CV.", "Déposer le CV.", "Paramétrer des alertes."}},
	{"Sauvegarder ses photos", "Maîtrise des outils numériques",
		"Transférer ses photos du téléphone vers un ordinateur ou un espace de stockage en ligne.",
		"Mettre en place une sauvegarde régulière de ses photos.",
		[]string{"Brancher le téléphone.", "Copier les photos.", "Vérifier la copie.", "Programmer une sauvegarde automatique."}},
	{"Comprendre les cookies et le suivi en ligne", "Données",
		"Ce que collectent les sites, comment lire un bandeau de consentement et refuser le suivi.",
		"Refuser les cookies non nécessaires et régler son navigateur.",
		[]string{"Lire un bandeau de consentement.", "Refuser les finalités publicitaires.", "Régler le navigateur.", "Effacer l'historique."}},
	{"Mesurer l'empreinte de ses usages numériques", "Sobriété numérique",
		"Estimer l'impact de ses appareils et de ses usages, et choisir des gestes utiles.",
		"Identifier trois gestes de sobriété adaptés à ses usages.",
		[]string{"Faire l'inventaire de ses appareils.", "Estimer l'impact avec un calculateur.", "Comparer les usages.", "Choisir ses gestes."}},
}

var variants = []string{
	"fiche animateur", "tutoriel pas à pas", "pour les seniors", "en atelier collectif", "version facile à lire",
	"kit d'animation", "quiz d'évaluation", "support vidéo", "pour les structures", "parcours de découverte",
}

var tips = []string{
	"Laisser la souris à la personne accompagnée, même si c'est plus long.",
	"Prévoir une fiche mémo à emporter à la maison.",
	"Commencer par une situation vécue par les participants.",
	"Terminer par une réussite concrète, notée sur papier.",
}

var baseNames = []string{
	"Médiathèque de Bois-Joli", "Espace public numérique des Tilleuls", "Coopérative Clic & Lien", "Hub numérique Rives-et-Vallées",
	"Association Connexions Solidaires", "Centre social du Moulin", "Tiers-lieu La Fabrique Commune", "Maison France services de Saint-Aubin",
	"Réseau des aidants numériques du Val", "Atelier Pixel et Papier", "Ludothèque numérique Les Dés", "Point numérique de la gare",
	"Collectif Numérique Pour Tous", "Fablab des Marais", "Association Seniors Connectés", "Bibliothèque intercommunale de Haute-Lande",
	"Mission locale des Trois Rivières", "Régie de quartier Belle-Étoile", "Carrefour numérique des Îles", "Université populaire du numérique",
}

const longParagraph = "Ce paragraphe répète volontairement une consigne d'animation longue, pour éprouver le moissonneur sur un texte très long : accueillir, écouter, montrer, laisser faire, reformuler, vérifier. "
