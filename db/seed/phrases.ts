// What people say in the demo conversations, per language. Placeholders in braces are filled by
// `fill`, which also records where personal data landed (pii_spans) so redaction can be shown.
import type { Language } from "./catalog.ts";

export const INTENTS = [
  "billing",
  "order_status",
  "technical",
  "cancel",
  "refund",
  "upgrade",
  "address_change",
] as const;
export type Intent = (typeof INTENTS)[number];

export const CAMPAIGNS = ["renewal", "appointment"] as const;
export type Campaign = (typeof CAMPAIGNS)[number];

type IntentLines = {
  subject: string;
  opener: string[];
  detail: string[];
  resolution: string[];
  followUp: string[];
};

type CampaignLines = {
  subject: string;
  open: string[];
  pitch: string[];
  accept: string[];
  decline: string[];
};

export type PhraseBook = {
  aiGreetingVoice: string[];
  aiGreetingChat: string[];
  customerHello: string[];
  aiAskAccount: string[];
  customerAccount: string[];
  aiVerified: string[];
  aiAskDetail: string[];
  aiTransfer: string[];
  /** An agent taking over from the AI assistant (it refers to what the customer told it). */
  agentGreetingAfterAssistant: string[];
  agentGreeting: string[];
  customerConfirm: string[];
  agentLookup: string[];
  customerAck: string[];
  customerQuestion: string[];
  agentAnswer: string[];
  agentRecap: string[];
  customerNoMore: string[];
  agentHold: string[];
  agentUnhold: string[];
  agentTransfer: string[];
  agentConsult: string[];
  agentBack: string[];
  customerThanks: string[];
  /** "Anything else?": answered by customerNoMore, then the goodbye. */
  agentAnythingElse: string[];
  /** The agent's last words. */
  agentClosing: string[];
  aiClosing: string[];
  aiNoInput: string[];
  aiSurvey: string[];
  /** Index i answers with the score 5 - i. */
  customerSurvey: [string, string, string, string, string];
  aiInactivity: string[];
  csatPositive: string[];
  csatNegative: string[];
  emailGreetingCustomer: string;
  emailSignoffCustomer: string;
  emailGreetingAgent: string;
  emailSignoffAgent: string;
  replyPrefix: string;
  intents: Record<Intent, IntentLines>;
  campaigns: Record<Campaign, CampaignLines>;
};

const en: PhraseBook = {
  aiGreetingVoice: [
    "Hi, thanks for calling Brightline. I'm the virtual assistant. How can I help you today?",
    "Welcome to Brightline. You're speaking with our AI assistant. What can I do for you?",
  ],
  aiGreetingChat: [
    "Hi there! I'm Brightline's virtual assistant. How can I help?",
    "Hello and welcome to Brightline chat. What can I help you with today?",
  ],
  customerHello: ["Hi", "Hello, I need some help", "Hey there"],
  aiAskAccount: [
    "I can help with that. Could you give me the phone number or email on your account?",
    "Sure. To find your account, what's the phone number or email address you registered with?",
  ],
  customerAccount: [
    "Sure, it's {phone}.",
    "My number is {phone}.",
    "It should be under {email}.",
    "Yes, my name is {name} and the email is {email}.",
  ],
  aiVerified: [
    "Thanks {first}, I found your account.",
    "Got it, thank you {first}. Your account is verified.",
  ],
  aiAskDetail: ["Could you give me a few more details?", "Can you tell me a bit more about that?"],
  aiTransfer: [
    "Let me connect you with one of our specialists who can take care of this.",
    "I'll transfer you to an agent now. Please stay on the line.",
  ],
  agentGreetingAfterAssistant: [
    "Hi {first}, this is {agent}. I can see what you told our assistant, let me take a look.",
  ],
  agentGreeting: [
    "Hello {first}, my name is {agent} and I'll be helping you today.",
    "Hi {first}, this is {agent}. How can I help you today?",
  ],
  customerConfirm: ["Yes, that's right.", "Exactly.", "Okay, thank you.", "Yes, please."],
  agentLookup: ["Let me pull up your account.", "One moment while I check your account."],
  customerAck: ["Okay.", "Sure.", "Alright, go ahead."],
  customerQuestion: [
    "How long will that take?",
    "Will I get a confirmation by email?",
    "Is there a reference number?",
  ],
  agentAnswer: [
    "You'll get a confirmation email within the hour.",
    "It should be done by tomorrow at the latest.",
    "Your reference number is {ticket}.",
  ],
  agentRecap: ["So, to sum up: everything is sorted on our side and you'll get an email shortly."],
  customerNoMore: ["No, that's everything.", "No, that was all, thanks."],
  agentHold: [
    "Let me check that for you, could you hold for a moment?",
    "I need to look into this, I'll put you on a short hold.",
  ],
  agentUnhold: ["Thanks for holding, {first}.", "Thank you for waiting, I have the details now."],
  agentTransfer: [
    "This is handled by another team, I'll transfer you to {queue} now.",
    "Let me get you over to our {queue} team, they can finish this for you.",
  ],
  agentConsult: [
    "Let me quickly check with a colleague.",
    "I'm going to consult a specialist on this, one moment.",
  ],
  agentBack: ["I'm back, thanks for your patience.", "Okay, my colleague confirmed it."],
  customerThanks: ["Great, thank you so much!", "Perfect, that's all I needed.", "Thanks for your help."],
  agentAnythingElse: ["Is there anything else I can help you with?", "Anything else I can do for you today?"],
  agentClosing: [
    "You're welcome, {first}. Have a great day!",
    "Happy to help. Thanks for contacting Brightline, goodbye!",
  ],
  aiClosing: ["Thanks for contacting Brightline. Goodbye!", "Glad I could help. Have a nice day!"],
  aiNoInput: [
    "Sorry, I didn't hear anything. Are you still there?",
    "I still can't hear you. Could you say that again?",
    "I'm having trouble hearing you.",
  ],
  aiSurvey: [
    "Before you go, how would you rate your experience today on a scale of one to five?",
    "Could you rate today's service from one to five?",
  ],
  customerSurvey: ["Five, very helpful.", "Four.", "Three, I guess.", "Two.", "One."],
  aiInactivity: [
    "It looks like you've stepped away. I'll close this chat for now, feel free to write back anytime.",
  ],
  csatPositive: ["Quick and friendly, thanks!", "Solved my problem in minutes."],
  csatNegative: ["Waited far too long.", "I had to explain everything twice."],
  emailGreetingCustomer: "Hello,",
  emailSignoffCustomer: "Thanks,\n{name}",
  emailGreetingAgent: "Hi {first},",
  emailSignoffAgent: "Kind regards,\n{agent}\nBrightline Customer Care",
  replyPrefix: "Re: ",
  intents: {
    billing: {
      subject: "Question about my latest invoice",
      opener: [
        "I was charged twice on my last invoice and I don't understand why.",
        "My bill this month is much higher than usual, can you explain the extra charges?",
      ],
      detail: [
        "The charge of {amount} went to my card {card}.",
        "It's on the invoice from last week, my card number is {card}.",
      ],
      resolution: [
        "I can see the duplicate charge of {amount}. I've reversed it, you'll see the credit on your next invoice.",
        "The extra amount comes from a one-time activation fee. I've waived it as a courtesy.",
      ],
      followUp: ["Will that show up before my next payment?", "So I don't need to do anything else?"],
    },
    order_status: {
      subject: "Where is my order {order}?",
      opener: [
        "I ordered a new router two weeks ago and it still hasn't arrived.",
        "Can you tell me the status of my order? The tracking hasn't updated in days.",
      ],
      detail: ["The order number is {order}.", "It's order {order}, placed with the email {email}."],
      resolution: [
        "Your order {order} left our warehouse yesterday and should arrive within two business days.",
        "The parcel was delayed at the carrier. I've requested express delivery at no extra cost.",
      ],
      followUp: ["Can I change the delivery address?", "Will I get a new tracking link?"],
    },
    technical: {
      subject: "Internet keeps disconnecting",
      opener: [
        "My internet keeps dropping every few minutes since yesterday.",
        "The router's light is blinking red and I have no connection at all.",
      ],
      detail: [
        "I already restarted the router twice. The account is under {phone}.",
        "My date of birth is {dob} if you need it for security.",
      ],
      resolution: [
        "I've pushed a firmware update to your router and reset the line. It should be stable now.",
        "There was an outage in your area that has just been fixed. Please restart the router once more.",
      ],
      followUp: ["It's back online now, the light is green.", "What should I do if it happens again?"],
    },
    cancel: {
      subject: "Cancel my subscription",
      opener: [
        "I'd like to cancel my subscription.",
        "I want to end my contract, it's too expensive for me.",
      ],
      detail: ["My date of birth is {dob}.", "The account holder is {name}."],
      resolution: [
        "I understand. I can offer you three months at half price if you stay, would that work for you?",
        "I've scheduled the cancellation for the end of your billing period and sent a confirmation email.",
      ],
      followUp: ["Okay, the discount sounds fair, I'll stay.", "No, I'd still like to cancel."],
    },
    refund: {
      subject: "Refund request for order {order}",
      opener: [
        "I returned a pair of headphones and I'm still waiting for my refund.",
        "I'd like a refund, the product arrived damaged.",
      ],
      detail: ["The order was {order} and I paid {amount} with my card {card}.", "It was order {order}."],
      resolution: [
        "I've issued a refund of {amount}. It takes five to seven business days to appear on your statement.",
        "The return was received. I've approved the refund and emailed you the confirmation.",
      ],
      followUp: ["Will it go back to the same card?", "Do I need to keep the return receipt?"],
    },
    upgrade: {
      subject: "Upgrading my plan",
      opener: [
        "I'd like to upgrade to a faster internet plan.",
        "What plans do you have with more mobile data?",
      ],
      detail: ["I'm on the basic plan right now, account phone {phone}.", "You can reach me at {email} too."],
      resolution: [
        "The Fiber 1000 plan is {amount} a month and I can activate it today without a new contract.",
        "I've upgraded you to the Unlimited plan starting with your next billing cycle.",
      ],
      followUp: ["Do I need a new router for that?", "Great, when does it start?"],
    },
    address_change: {
      subject: "Change of address",
      opener: [
        "I'm moving next month and need to update my address.",
        "I need to change my billing address.",
      ],
      detail: ["My new phone number is {phone}.", "Please also update my email to {email}."],
      resolution: [
        "I've updated your address and scheduled the service transfer for your moving date.",
        "Your billing address is updated, the next invoice will go to the new address.",
      ],
      followUp: ["Will there be any downtime?", "Do I need to return the old equipment?"],
    },
  },
  campaigns: {
    renewal: {
      subject: "Your Brightline contract renewal",
      open: [
        "Hello {first}, this is {agent} from Brightline, calling about your contract that ends next month.",
      ],
      pitch: [
        "If you renew today you keep your current price for another two years and get a free router upgrade.",
      ],
      accept: ["That sounds good, let's renew.", "Okay, please go ahead."],
      decline: ["No thanks, I'm not interested right now.", "I'll think about it, please call me next week."],
    },
    appointment: {
      subject: "Your technician appointment",
      open: ["Hi {first}, it's {agent} from Brightline, calling to confirm your technician visit."],
      pitch: ["The technician is scheduled for Thursday between 9 and 12. Does that still work for you?"],
      accept: ["Yes, Thursday works.", "Perfect, I'll be home."],
      decline: ["Could we move it to next week?", "Thursday doesn't work, sorry."],
    },
  },
};

const es: PhraseBook = {
  aiGreetingVoice: [
    "Hola, gracias por llamar a Brightline. Soy el asistente virtual. ¿En qué puedo ayudarle?",
    "Bienvenido a Brightline. Está hablando con nuestro asistente. ¿Qué necesita hoy?",
  ],
  aiGreetingChat: ["¡Hola! Soy el asistente virtual de Brightline. ¿En qué puedo ayudarte?"],
  customerHello: ["Hola", "Buenas, necesito ayuda"],
  aiAskAccount: ["Claro. ¿Me indica el teléfono o el correo electrónico de su cuenta?"],
  customerAccount: [
    "Sí, es el {phone}.",
    "Mi correo es {email}.",
    "Me llamo {name}, el teléfono es {phone}.",
  ],
  aiVerified: ["Gracias, {first}. He encontrado su cuenta."],
  aiAskDetail: ["¿Me puede dar algún detalle más?"],
  aiTransfer: ["Le paso con uno de nuestros especialistas, no cuelgue por favor."],
  agentGreetingAfterAssistant: ["Hola {first}, soy {agent}. Ya he visto lo que le comentó al asistente."],
  agentGreeting: [
    "Buenas {first}, le atiende {agent}.",
    "Hola {first}, soy {agent}. ¿En qué puedo ayudarle?",
  ],
  customerConfirm: ["Sí, eso es.", "Exacto.", "Vale, gracias."],
  agentLookup: ["Voy a abrir su cuenta.", "Un momento, que compruebo su cuenta."],
  customerAck: ["Vale.", "De acuerdo.", "Sí, dígame."],
  customerQuestion: [
    "¿Cuánto tardará?",
    "¿Me llegará una confirmación por correo?",
    "¿Hay un número de referencia?",
  ],
  agentAnswer: [
    "Recibirá un correo de confirmación en la próxima hora.",
    "Estará listo como muy tarde mañana.",
    "Su número de referencia es {ticket}.",
  ],
  agentRecap: ["Entonces, resumiendo: queda todo resuelto y le llegará un correo en breve."],
  customerNoMore: ["No, eso es todo.", "No, nada más, gracias."],
  agentHold: ["Déjeme comprobarlo, ¿puede esperar un momento?"],
  agentUnhold: ["Gracias por esperar, {first}."],
  agentTransfer: ["Esto lo gestiona otro equipo, le transfiero a {queue}."],
  agentConsult: ["Voy a consultarlo con un compañero, un momento."],
  agentBack: ["Ya estoy, gracias por la paciencia."],
  customerThanks: ["¡Perfecto, muchas gracias!", "Genial, era todo lo que necesitaba."],
  agentAnythingElse: ["¿Puedo ayudarle en algo más?"],
  agentClosing: [
    "De nada, {first}. ¡Que tenga un buen día!",
    "Gracias por contactar con Brightline. ¡Hasta luego!",
  ],
  aiClosing: ["Gracias por contactar con Brightline. ¡Hasta luego!"],
  aiNoInput: [
    "Perdone, no le oigo. ¿Sigue ahí?",
    "Sigo sin oírle. ¿Puede repetirlo?",
    "Tengo problemas para oírle.",
  ],
  aiSurvey: ["Antes de terminar, ¿cómo valoraría la atención del uno al cinco?"],
  customerSurvey: ["Cinco.", "Cuatro.", "Tres.", "Dos.", "Uno."],
  aiInactivity: ["Parece que se ha ausentado. Cerraré este chat, puede escribirnos cuando quiera."],
  csatPositive: ["Rápido y amable, gracias.", "Me resolvieron el problema enseguida."],
  csatNegative: ["Demasiado tiempo de espera.", "Tuve que repetirlo todo dos veces."],
  emailGreetingCustomer: "Buenos días:",
  emailSignoffCustomer: "Gracias,\n{name}",
  emailGreetingAgent: "Hola {first}:",
  emailSignoffAgent: "Un saludo,\n{agent}\nAtención al cliente de Brightline",
  replyPrefix: "Re: ",
  intents: {
    billing: {
      subject: "Duda sobre mi última factura",
      opener: [
        "Me han cobrado dos veces en la última factura.",
        "Este mes la factura es mucho más alta de lo normal.",
      ],
      detail: ["El cargo de {amount} fue a mi tarjeta {card}."],
      resolution: ["He anulado el cargo duplicado de {amount}; verá el abono en la próxima factura."],
      followUp: ["¿Tengo que hacer algo más?"],
    },
    order_status: {
      subject: "¿Dónde está mi pedido {order}?",
      opener: ["Hice un pedido hace dos semanas y todavía no ha llegado."],
      detail: ["El número de pedido es {order}."],
      resolution: ["Su pedido {order} salió ayer del almacén y llegará en dos días laborables."],
      followUp: ["¿Puedo cambiar la dirección de entrega?"],
    },
    technical: {
      subject: "Internet se corta continuamente",
      opener: [
        "Internet se me corta cada pocos minutos desde ayer.",
        "El router tiene la luz roja y no tengo conexión.",
      ],
      detail: ["Ya he reiniciado el router. Mi fecha de nacimiento es {dob}."],
      resolution: ["He actualizado el firmware del router y reiniciado la línea. Ya debería funcionar."],
      followUp: ["Ya funciona, gracias.", "¿Y si vuelve a pasar?"],
    },
    cancel: {
      subject: "Baja del servicio",
      opener: ["Quiero darme de baja.", "Quiero cancelar mi contrato, es demasiado caro."],
      detail: ["El titular es {name}."],
      resolution: ["Puedo ofrecerle tres meses a mitad de precio si se queda. ¿Le interesa?"],
      followUp: ["Vale, me quedo con el descuento.", "No, prefiero darme de baja."],
    },
    refund: {
      subject: "Reembolso del pedido {order}",
      opener: ["Devolví unos auriculares y sigo esperando el reembolso."],
      detail: ["Era el pedido {order}, pagué {amount} con la tarjeta {card}."],
      resolution: ["He emitido un reembolso de {amount}; tardará de cinco a siete días hábiles."],
      followUp: ["¿Se devuelve a la misma tarjeta?"],
    },
    upgrade: {
      subject: "Cambio de tarifa",
      opener: ["Quiero pasarme a una tarifa con más velocidad."],
      detail: ["Ahora tengo la tarifa básica, mi teléfono es {phone}."],
      resolution: ["La fibra 1000 cuesta {amount} al mes y puedo activarla hoy mismo."],
      followUp: ["¿Necesito un router nuevo?"],
    },
    address_change: {
      subject: "Cambio de dirección",
      opener: ["Me mudo el mes que viene y tengo que cambiar la dirección."],
      detail: ["Mi nuevo correo es {email}."],
      resolution: ["He actualizado su dirección y programado el traslado del servicio."],
      followUp: ["¿Habrá algún corte?"],
    },
  },
  campaigns: {
    renewal: {
      subject: "Renovación de su contrato Brightline",
      open: [
        "Hola {first}, soy {agent} de Brightline. Le llamo porque su contrato termina el mes que viene.",
      ],
      pitch: ["Si renueva hoy mantiene su precio dos años más y le regalamos un router nuevo."],
      accept: ["Me parece bien, renuevo."],
      decline: ["No, gracias, ahora no me interesa."],
    },
    appointment: {
      subject: "Su cita con el técnico",
      open: ["Hola {first}, soy {agent} de Brightline. Le llamo para confirmar la visita del técnico."],
      pitch: ["El técnico irá el jueves entre las 9 y las 12. ¿Le viene bien?"],
      accept: ["Sí, el jueves me va bien."],
      decline: ["¿Podemos pasarlo a la semana que viene?"],
    },
  },
};

const fr: PhraseBook = {
  aiGreetingVoice: [
    "Bonjour, merci d'appeler Brightline. Je suis l'assistant virtuel. Comment puis-je vous aider ?",
  ],
  aiGreetingChat: ["Bonjour ! Je suis l'assistant virtuel de Brightline. Que puis-je faire pour vous ?"],
  customerHello: ["Bonjour", "Bonjour, j'ai besoin d'aide"],
  aiAskAccount: ["Bien sûr. Quel est le numéro de téléphone ou l'e-mail de votre compte ?"],
  customerAccount: [
    "Oui, c'est le {phone}.",
    "Mon e-mail est {email}.",
    "Je m'appelle {name}, mon numéro est le {phone}.",
  ],
  aiVerified: ["Merci {first}, j'ai trouvé votre compte."],
  aiAskDetail: ["Pouvez-vous m'en dire un peu plus ?"],
  aiTransfer: ["Je vous mets en relation avec un conseiller, restez en ligne."],
  agentGreetingAfterAssistant: ["Bonjour {first}, {agent} à l'appareil. J'ai bien vu votre demande."],
  agentGreeting: [
    "Bonjour {first}, je suis {agent}.",
    "Bonjour {first}, {agent} à l'appareil. Que puis-je pour vous ?",
  ],
  customerConfirm: ["Oui, c'est ça.", "Exactement.", "D'accord, merci."],
  agentLookup: ["J'ouvre votre dossier.", "Un instant, je consulte votre compte."],
  customerAck: ["D'accord.", "Oui.", "Allez-y."],
  customerQuestion: [
    "Combien de temps cela va prendre ?",
    "Vais-je recevoir une confirmation par e-mail ?",
    "Y a-t-il un numéro de référence ?",
  ],
  agentAnswer: [
    "Vous recevrez un e-mail de confirmation dans l'heure.",
    "Ce sera fait demain au plus tard.",
    "Votre numéro de référence est {ticket}.",
  ],
  agentRecap: ["Pour résumer : tout est réglé de notre côté et vous recevrez un e-mail sous peu."],
  customerNoMore: ["Non, ce sera tout.", "Non, c'est tout, merci."],
  agentHold: ["Je vérifie, pouvez-vous patienter un instant ?"],
  agentUnhold: ["Merci d'avoir patienté, {first}."],
  agentTransfer: ["C'est une autre équipe qui s'en occupe, je vous transfère vers {queue}."],
  agentConsult: ["Je vérifie avec un collègue, un instant."],
  agentBack: ["Me revoilà, merci de votre patience."],
  customerThanks: ["Parfait, merci beaucoup !", "Super, c'est tout ce qu'il me fallait."],
  agentAnythingElse: ["Puis-je vous aider pour autre chose ?"],
  agentClosing: [
    "Je vous en prie, {first}. Bonne journée !",
    "Merci d'avoir contacté Brightline. Au revoir !",
  ],
  aiClosing: ["Merci d'avoir contacté Brightline. Au revoir !"],
  aiNoInput: [
    "Désolé, je ne vous entends pas. Êtes-vous toujours là ?",
    "Je ne vous entends toujours pas. Pouvez-vous répéter ?",
    "J'ai du mal à vous entendre.",
  ],
  aiSurvey: ["Avant de partir, comment noteriez-vous ce service de un à cinq ?"],
  customerSurvey: ["Cinq.", "Quatre.", "Trois.", "Deux.", "Un."],
  aiInactivity: [
    "Il semble que vous soyez absent. Je ferme cette discussion, n'hésitez pas à nous réécrire.",
  ],
  csatPositive: ["Rapide et sympathique, merci.", "Problème réglé en quelques minutes."],
  csatNegative: ["Beaucoup trop d'attente.", "J'ai dû tout répéter deux fois."],
  emailGreetingCustomer: "Bonjour,",
  emailSignoffCustomer: "Merci,\n{name}",
  emailGreetingAgent: "Bonjour {first},",
  emailSignoffAgent: "Cordialement,\n{agent}\nService client Brightline",
  replyPrefix: "RE : ",
  intents: {
    billing: {
      subject: "Question sur ma dernière facture",
      opener: [
        "J'ai été prélevé deux fois sur ma dernière facture.",
        "Ma facture est beaucoup plus élevée ce mois-ci.",
      ],
      detail: ["Le montant de {amount} a été débité sur ma carte {card}."],
      resolution: [
        "J'ai annulé le prélèvement en double de {amount}, vous verrez l'avoir sur la prochaine facture.",
      ],
      followUp: ["Je n'ai rien d'autre à faire ?"],
    },
    order_status: {
      subject: "Où est ma commande {order} ?",
      opener: ["J'ai commandé un routeur il y a deux semaines et je ne l'ai toujours pas reçu."],
      detail: ["Le numéro de commande est {order}."],
      resolution: ["Votre commande {order} a quitté l'entrepôt hier et arrivera sous deux jours ouvrés."],
      followUp: ["Puis-je changer l'adresse de livraison ?"],
    },
    technical: {
      subject: "Coupures internet fréquentes",
      opener: ["Ma connexion internet coupe toutes les cinq minutes depuis hier."],
      detail: ["J'ai déjà redémarré la box. Ma date de naissance est le {dob}."],
      resolution: ["J'ai mis à jour le micrologiciel de votre box et réinitialisé la ligne."],
      followUp: ["Ça remarche, merci.", "Et si ça recommence ?"],
    },
    cancel: {
      subject: "Résiliation de mon abonnement",
      opener: ["Je voudrais résilier mon abonnement."],
      detail: ["Le titulaire du compte est {name}."],
      resolution: ["Je peux vous proposer trois mois à moitié prix si vous restez. Cela vous convient ?"],
      followUp: ["D'accord, je reste.", "Non, je préfère résilier."],
    },
    refund: {
      subject: "Remboursement de la commande {order}",
      opener: ["J'ai renvoyé un casque et j'attends toujours mon remboursement."],
      detail: ["C'était la commande {order}, payée {amount} avec la carte {card}."],
      resolution: ["J'ai émis un remboursement de {amount}, comptez cinq à sept jours ouvrés."],
      followUp: ["Ce sera sur la même carte ?"],
    },
    upgrade: {
      subject: "Changement d'offre",
      opener: ["Je voudrais passer à une offre plus rapide."],
      detail: ["J'ai l'offre de base, mon numéro est le {phone}."],
      resolution: ["La Fibre 1000 est à {amount} par mois et je peux l'activer aujourd'hui."],
      followUp: ["Faut-il une nouvelle box ?"],
    },
    address_change: {
      subject: "Changement d'adresse",
      opener: ["Je déménage le mois prochain et je dois changer mon adresse."],
      detail: ["Mon nouvel e-mail est {email}."],
      resolution: ["J'ai mis à jour votre adresse et programmé le transfert de la ligne."],
      followUp: ["Y aura-t-il une coupure ?"],
    },
  },
  campaigns: {
    renewal: {
      subject: "Renouvellement de votre contrat Brightline",
      open: [
        "Bonjour {first}, {agent} de Brightline. Je vous appelle car votre contrat se termine le mois prochain.",
      ],
      pitch: [
        "En renouvelant aujourd'hui, vous gardez votre tarif deux ans de plus avec une nouvelle box offerte.",
      ],
      accept: ["D'accord, je renouvelle."],
      decline: ["Non merci, pas pour le moment."],
    },
    appointment: {
      subject: "Votre rendez-vous technicien",
      open: [
        "Bonjour {first}, {agent} de Brightline. Je vous appelle pour confirmer le passage du technicien.",
      ],
      pitch: ["Le technicien passera jeudi entre 9 h et 12 h. Cela vous convient toujours ?"],
      accept: ["Oui, jeudi c'est parfait."],
      decline: ["Pouvons-nous le décaler à la semaine prochaine ?"],
    },
  },
};

const de: PhraseBook = {
  aiGreetingVoice: [
    "Hallo und danke für Ihren Anruf bei Brightline. Ich bin der virtuelle Assistent. Wie kann ich helfen?",
  ],
  aiGreetingChat: ["Hallo! Ich bin der virtuelle Assistent von Brightline. Wobei kann ich helfen?"],
  customerHello: ["Hallo", "Guten Tag, ich brauche Hilfe"],
  aiAskAccount: ["Gerne. Wie lautet die Telefonnummer oder E-Mail-Adresse Ihres Kontos?"],
  customerAccount: [
    "Ja, das ist die {phone}.",
    "Meine E-Mail ist {email}.",
    "Ich heiße {name}, Nummer {phone}.",
  ],
  aiVerified: ["Danke, {first}. Ich habe Ihr Konto gefunden."],
  aiAskDetail: ["Können Sie mir noch ein paar Details nennen?"],
  aiTransfer: ["Ich verbinde Sie mit einem unserer Mitarbeiter, bitte bleiben Sie dran."],
  agentGreetingAfterAssistant: ["Hallo {first}, hier ist {agent}. Ich sehe Ihr Anliegen bereits."],
  agentGreeting: [
    "Guten Tag {first}, mein Name ist {agent}.",
    "Hallo {first}, hier ist {agent}. Wie kann ich helfen?",
  ],
  customerConfirm: ["Ja, genau.", "Richtig.", "Okay, danke."],
  agentLookup: ["Ich rufe kurz Ihr Kundenkonto auf.", "Einen Moment, ich prüfe Ihr Konto."],
  customerAck: ["Okay.", "In Ordnung.", "Ja, bitte."],
  customerQuestion: [
    "Wie lange dauert das?",
    "Bekomme ich eine Bestätigung per E-Mail?",
    "Gibt es eine Vorgangsnummer?",
  ],
  agentAnswer: [
    "Sie erhalten innerhalb einer Stunde eine Bestätigung per E-Mail.",
    "Das ist spätestens morgen erledigt.",
    "Ihre Vorgangsnummer ist {ticket}.",
  ],
  agentRecap: [
    "Kurz zusammengefasst: Auf unserer Seite ist alles erledigt, Sie bekommen gleich eine E-Mail.",
  ],
  customerNoMore: ["Nein, das war alles.", "Nein, danke, das war's."],
  agentHold: ["Ich schaue kurz nach, können Sie einen Moment warten?"],
  agentUnhold: ["Danke fürs Warten, {first}."],
  agentTransfer: ["Das bearbeitet ein anderes Team, ich verbinde Sie mit {queue}."],
  agentConsult: ["Ich frage kurz bei einem Kollegen nach."],
  agentBack: ["Da bin ich wieder, danke für Ihre Geduld."],
  customerThanks: ["Super, vielen Dank!", "Perfekt, das war alles."],
  agentAnythingElse: ["Kann ich sonst noch etwas für Sie tun?"],
  agentClosing: [
    "Gern geschehen, {first}. Einen schönen Tag noch!",
    "Danke, dass Sie Brightline kontaktiert haben. Auf Wiederhören!",
  ],
  aiClosing: ["Danke, dass Sie Brightline kontaktiert haben. Auf Wiederhören!"],
  aiNoInput: [
    "Entschuldigung, ich höre Sie nicht. Sind Sie noch da?",
    "Ich kann Sie immer noch nicht hören. Können Sie das wiederholen?",
    "Ich habe Probleme, Sie zu verstehen.",
  ],
  aiSurvey: ["Bevor Sie gehen: Wie bewerten Sie den Service auf einer Skala von eins bis fünf?"],
  customerSurvey: ["Fünf.", "Vier.", "Drei.", "Zwei.", "Eins."],
  aiInactivity: [
    "Sie scheinen nicht mehr da zu sein. Ich schließe den Chat, schreiben Sie uns jederzeit wieder.",
  ],
  csatPositive: ["Schnell und freundlich, danke.", "Problem in wenigen Minuten gelöst."],
  csatNegative: ["Viel zu lange gewartet.", "Ich musste alles zweimal erklären."],
  emailGreetingCustomer: "Guten Tag,",
  emailSignoffCustomer: "Danke,\n{name}",
  emailGreetingAgent: "Hallo {first},",
  emailSignoffAgent: "Viele Grüße\n{agent}\nBrightline Kundenservice",
  replyPrefix: "AW: ",
  intents: {
    billing: {
      subject: "Frage zu meiner letzten Rechnung",
      opener: [
        "Mir wurde auf der letzten Rechnung doppelt abgebucht.",
        "Meine Rechnung ist diesen Monat viel höher.",
      ],
      detail: ["Der Betrag von {amount} wurde von meiner Karte {card} abgebucht."],
      resolution: [
        "Ich habe die doppelte Abbuchung von {amount} storniert, die Gutschrift kommt mit der nächsten Rechnung.",
      ],
      followUp: ["Muss ich sonst noch etwas tun?"],
    },
    order_status: {
      subject: "Wo ist meine Bestellung {order}?",
      opener: ["Ich habe vor zwei Wochen einen Router bestellt und er ist immer noch nicht da."],
      detail: ["Die Bestellnummer ist {order}."],
      resolution: ["Ihre Bestellung {order} hat gestern das Lager verlassen und kommt in zwei Werktagen an."],
      followUp: ["Kann ich die Lieferadresse ändern?"],
    },
    technical: {
      subject: "Internet bricht ständig ab",
      opener: ["Mein Internet bricht seit gestern alle paar Minuten ab."],
      detail: ["Ich habe den Router schon neu gestartet. Mein Geburtsdatum ist der {dob}."],
      resolution: ["Ich habe die Firmware Ihres Routers aktualisiert und die Leitung zurückgesetzt."],
      followUp: ["Jetzt geht es wieder, danke.", "Was mache ich, wenn es wieder passiert?"],
    },
    cancel: {
      subject: "Kündigung meines Vertrags",
      opener: ["Ich möchte meinen Vertrag kündigen."],
      detail: ["Der Vertragsinhaber ist {name}."],
      resolution: ["Wenn Sie bleiben, kann ich Ihnen drei Monate zum halben Preis anbieten. Wäre das etwas?"],
      followUp: ["Gut, dann bleibe ich.", "Nein, ich möchte trotzdem kündigen."],
    },
    refund: {
      subject: "Erstattung für Bestellung {order}",
      opener: ["Ich habe Kopfhörer zurückgeschickt und warte immer noch auf die Erstattung."],
      detail: ["Das war Bestellung {order}, bezahlt mit {amount} über die Karte {card}."],
      resolution: ["Ich habe {amount} erstattet, das dauert fünf bis sieben Werktage."],
      followUp: ["Geht das auf dieselbe Karte zurück?"],
    },
    upgrade: {
      subject: "Tarifwechsel",
      opener: ["Ich möchte in einen schnelleren Tarif wechseln."],
      detail: ["Ich habe den Basistarif, meine Nummer ist {phone}."],
      resolution: ["Glasfaser 1000 kostet {amount} im Monat und ich kann es heute freischalten."],
      followUp: ["Brauche ich dafür einen neuen Router?"],
    },
    address_change: {
      subject: "Adressänderung",
      opener: ["Ich ziehe nächsten Monat um und muss meine Adresse ändern."],
      detail: ["Meine neue E-Mail ist {email}."],
      resolution: ["Ich habe Ihre Adresse aktualisiert und den Umzug des Anschlusses geplant."],
      followUp: ["Gibt es dabei eine Unterbrechung?"],
    },
  },
  campaigns: {
    renewal: {
      subject: "Verlängerung Ihres Brightline-Vertrags",
      open: ["Hallo {first}, hier ist {agent} von Brightline. Ihr Vertrag läuft nächsten Monat aus."],
      pitch: [
        "Wenn Sie heute verlängern, behalten Sie Ihren Preis für zwei weitere Jahre und bekommen einen neuen Router.",
      ],
      accept: ["Klingt gut, ich verlängere."],
      decline: ["Nein danke, im Moment nicht."],
    },
    appointment: {
      subject: "Ihr Technikertermin",
      open: ["Hallo {first}, hier ist {agent} von Brightline. Ich rufe wegen Ihres Technikertermins an."],
      pitch: ["Der Techniker kommt am Donnerstag zwischen 9 und 12 Uhr. Passt das noch?"],
      accept: ["Ja, Donnerstag passt."],
      decline: ["Können wir das auf nächste Woche verschieben?"],
    },
  },
};

export const PHRASES: Record<Language, PhraseBook> = { "en-US": en, "es-ES": es, "fr-FR": fr, "de-DE": de };

// Supervisors coach in English (the team's working language); the customer never hears a whisper.
export const WHISPERS = [
  "Offer the loyalty discount, they qualify.",
  "Check the outage map before resetting the line.",
  "Remember to confirm the callback number.",
  "You can waive the fee, I approve it.",
  "Keep it short, the queue is building up.",
] as const;

export const NOTES = [
  "Customer verified with phone number. Issue explained, follow-up email sent.",
  "Reversed duplicate charge; customer happy with the outcome.",
  "Escalated to tier 2, ticket created for the network team.",
  "Customer asked for a callback tomorrow morning.",
  "Offered retention discount, customer accepted.",
  "Refund approved per policy, 5-7 business days.",
  "Router firmware updated remotely, line reset.",
  "Address updated; service transfer scheduled.",
  "QA review: good empathy, remember to summarise before closing.",
] as const;

export const PII_TYPES = ["phone", "email", "credit_card", "date_of_birth", "person"] as const;
export type PiiType = (typeof PII_TYPES)[number];
export type PiiSpan = { start: number; end: number; type: PiiType };

const PII_SLOTS: Record<string, PiiType> = {
  phone: "phone",
  email: "email",
  card: "credit_card",
  dob: "date_of_birth",
  name: "person",
};

/**
 * Replaces {slot}s with values and returns where each personal-data value sits in the result.
 * Offsets count UTF-16 code units; every text here stays in the Basic Multilingual Plane, where
 * that equals PostgreSQL's character positions.
 */
export function fill(template: string, values: Record<string, string>): { body: string; spans: PiiSpan[] } {
  const spans: PiiSpan[] = [];
  let body = "";
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const slot = m[1] as string;
    const value = values[slot];
    if (value === undefined) throw new Error(`No value for {${slot}} in "${template}"`);
    body += template.slice(last, m.index);
    const type = PII_SLOTS[slot];
    if (type) spans.push({ start: body.length, end: body.length + value.length, type });
    body += value;
    last = m.index + m[0].length;
  }
  body += template.slice(last);
  return { body, spans };
}
