// The fixed parts of the demo world: staff, teams, queues, skills, dispositions, and the name
// lists customers are drawn from. Staff are fixed (not random) so screenshots, docs and e2e tests
// can rely on them; the three @parley.demo role accounts are what the demo sign-in offers.
import type { Insertable } from "kysely";
import { createRng, type Rng, STREAM } from "../../lib/random.ts";
import type { DB, UserRole } from "../types.ts";

export const LANGUAGES = ["en-US", "es-ES", "fr-FR", "de-DE"] as const;
export type Language = (typeof LANGUAGES)[number];

export const TEAMS = ["Customer Care", "Billing & Retention", "Technical Support"] as const;
export type Team = (typeof TEAMS)[number];

export const QUEUES = [
  "General Support",
  "Billing",
  "Technical Support",
  "Sales",
  "Retention",
  "Returns & Refunds",
  "VIP Care",
  "Outbound Campaigns",
] as const;
export type QueueName = (typeof QUEUES)[number];

export const SKILLS = [
  "English",
  "Spanish",
  "French",
  "German",
  "Billing",
  "Technical Troubleshooting",
  "Sales",
  "Retention",
  "Refunds",
  "Order Management",
  "Account Management",
  "Escalations",
] as const;
export type SkillName = (typeof SKILLS)[number];

export const LANGUAGE_SKILL: Record<Language, SkillName> = {
  "en-US": "English",
  "es-ES": "Spanish",
  "fr-FR": "French",
  "de-DE": "German",
};

// `active: false` keeps a retired code that old conversations still reference.
export const DISPOSITIONS = [
  { code: "RESOLVED", label: "Resolved", active: true },
  { code: "INFO_PROVIDED", label: "Information provided", active: true },
  { code: "FOLLOW_UP", label: "Follow-up required", active: true },
  { code: "ESCALATED", label: "Escalated to tier 2", active: true },
  { code: "REFUND_ISSUED", label: "Refund issued", active: true },
  { code: "CALLBACK_SCHEDULED", label: "Callback scheduled", active: true },
  { code: "SALE_COMPLETED", label: "Sale completed", active: true },
  { code: "NO_SALE", label: "Offer declined", active: true },
  { code: "CANCELLATION_SAVED", label: "Cancellation prevented", active: true },
  { code: "CANCELLED", label: "Service cancelled", active: true },
  { code: "CUSTOMER_UNREACHABLE", label: "Customer unreachable", active: true },
  { code: "DUPLICATE", label: "Duplicate contact", active: true },
  { code: "GENERAL_INQUIRY", label: "General inquiry (retired)", active: false },
] as const;
export type DispositionCode = (typeof DISPOSITIONS)[number]["code"];

type Staff = { name: string; email: string; role: UserRole; team: Team | null; languages: Language[] };

export const DEMO_ADMIN_EMAIL = "admin@parley.demo";
export const DEMO_SUPERVISOR_EMAIL = "supervisor@parley.demo";
export const DEMO_AGENT_EMAIL = "agent@parley.demo";

const staff = (name: string, role: UserRole, team: Team | null, languages: Language[], email?: string) => ({
  name,
  role,
  team,
  languages,
  email: email ?? `${ascii(name).toLowerCase().replace(/ /g, ".")}@parley.demo`,
});

export const STAFF: readonly Staff[] = [
  staff("Ada Admin", "admin", null, ["en-US"], DEMO_ADMIN_EMAIL),
  staff("Omar Haddad", "admin", null, ["en-US", "fr-FR"]),
  staff("Sam Supervisor", "supervisor", "Customer Care", ["en-US"], DEMO_SUPERVISOR_EMAIL),
  staff("Priya Raman", "supervisor", "Billing & Retention", ["en-US"]),
  staff("Katrin Vogel", "supervisor", "Technical Support", ["en-US", "de-DE"]),
  staff("Alex Agent", "agent", "Customer Care", ["en-US", "es-ES"], DEMO_AGENT_EMAIL),
  staff("María López", "agent", "Customer Care", ["es-ES", "en-US"]),
  staff("Daniel Kim", "agent", "Customer Care", ["en-US"]),
  staff("Chloé Martin", "agent", "Customer Care", ["fr-FR", "en-US"]),
  staff("Lukas Schneider", "agent", "Technical Support", ["de-DE", "en-US"]),
  staff("Grace Thompson", "agent", "Billing & Retention", ["en-US"]),
  staff("Javier Morales", "agent", "Billing & Retention", ["es-ES", "en-US"]),
  staff("Aisha Bello", "agent", "Customer Care", ["en-US", "fr-FR"]),
  staff("Ethan Walker", "agent", "Technical Support", ["en-US"]),
  staff("Sofia Rossi", "agent", "Billing & Retention", ["en-US", "es-ES"]),
  staff("Hannah Müller", "agent", "Billing & Retention", ["de-DE", "en-US"]),
  staff("Noah Johnson", "agent", "Technical Support", ["en-US"]),
  staff("Camille Dubois", "agent", "Billing & Retention", ["fr-FR"]),
  staff("Mateo García", "agent", "Customer Care", ["es-ES"]),
  staff("Emma Wilson", "agent", "Customer Care", ["en-US"]),
  staff("Felix Wagner", "agent", "Technical Support", ["de-DE"]),
  staff("Olivia Brown", "agent", "Billing & Retention", ["en-US"]),
  staff("Lucas Bernard", "agent", "Technical Support", ["fr-FR", "en-US"]),
  staff("Carmen Ruiz", "agent", "Technical Support", ["es-ES"]),
  staff("Benjamin Davis", "agent", "Customer Care", ["en-US", "de-DE"]),
  staff("Léa Petit", "agent", "Customer Care", ["fr-FR"]),
  staff("Jonas Fischer", "agent", "Customer Care", ["de-DE"]),
  staff("Mia Anderson", "agent", "Technical Support", ["en-US"]),
  staff("Diego Fernández", "agent", "Technical Support", ["es-ES", "en-US"]),
  staff("Zoe Clark", "agent", "Billing & Retention", ["en-US"]),
];

const words = (list: string) => list.split(" ");

const FIRST_NAMES: Record<Language, readonly string[]> = {
  "en-US": words(
    "James Linda Robert Patricia Michael Jennifer David Elizabeth Chris Susan Kevin Jessica " +
      "Brian Sarah Jason Karen Ryan Nancy Tyler Ashley Marcus Megan Andre Rachel",
  ),
  "es-ES": words(
    "Antonio Lucía Manuel Carmen Francisco Isabel Pablo Elena Sergio Marta Alejandro Paula Raúl " +
      "Cristina Álvaro Nuria Iván Beatriz",
  ),
  "fr-FR": words(
    "Julien Camille Nicolas Manon Thomas Chloé Antoine Sophie Mathieu Émilie Hugo Inès Quentin " +
      "Claire Maxime Juliette Baptiste Margaux",
  ),
  "de-DE": words(
    "Stefan Anna Thomas Julia Michael Laura Andreas Katharina Tobias Lena Markus Sarah Florian " +
      "Nina Sebastian Miriam Jan Franziska",
  ),
};

const LAST_NAMES: Record<Language, readonly string[]> = {
  "en-US": words(
    "Smith Johnson Williams Jones Miller Davis Wilson Taylor Moore Jackson White Harris Martin " +
      "Thompson Robinson Lewis Walker Young Allen King Wright Scott Green Baker",
  ),
  "es-ES": words(
    "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz " +
      "Hernández Díaz Moreno Muñoz Álvarez Romero",
  ),
  "fr-FR": words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent " +
      "Lefebvre Michel Garcia David Bertrand Roux",
  ),
  "de-DE": words(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter " +
      "Klein Wolf Schröder Neumann Schwarz Zimmermann",
  ),
};

const EMAIL_DOMAINS = ["example.com", "example.org", "example.net"] as const;

export type CustomerTier = "standard" | "gold" | "platinum";

export type Customer = {
  id: string;
  /** The platform's user id for them (shown when customer info is obscured), and their channel's id. */
  userRef: string;
  channelUserId: string;
  firstName: string;
  name: string;
  language: Language;
  /** E.164, as stored. */
  phone: string;
  /** As a customer would say or type it. */
  spokenPhone: string;
  email: string;
  tier: CustomerTier;
  segment: string;
};

export type StaffMember = Staff & { id: string; firstName: string };

export type Catalog = {
  staff: StaffMember[];
  agents: StaffMember[];
  supervisors: StaffMember[];
  teamIds: Record<Team, string>;
  queueIds: Record<QueueName, string>;
  skillIds: Record<SkillName, string>;
  dispositionIds: Record<DispositionCode, string>;
  customers: Customer[];
  rows: {
    teams: Insertable<DB["teams"]>[];
    users: Insertable<DB["users"]>[];
    queues: Insertable<DB["queues"]>[];
    skills: Insertable<DB["skills"]>[];
    dispositions: Insertable<DB["dispositions"]>[];
    customers: Insertable<DB["customers"]>[];
  };
};

export function avatarSourceKey(userId: string): string {
  return `avatars/${userId}/source.png`;
}

/** Everything that is not a conversation; ids come from the seed so the same seed gives the same world. */
export function buildCatalog(seed: number, customerCount: number, now: Date): Catalog {
  const rng = createRng(seed, STREAM.catalog);
  const ids = <K extends string>(names: readonly K[]) =>
    Object.fromEntries(names.map((n) => [n, rng.uuid()])) as Record<K, string>;
  const teamIds = ids(TEAMS);
  const queueIds = ids(QUEUES);
  const skillIds = ids(SKILLS);
  const dispositionIds = ids(DISPOSITIONS.map((d) => d.code));
  const staffMembers: StaffMember[] = STAFF.map((s) => ({
    ...s,
    id: rng.uuid(),
    firstName: s.name.split(" ")[0] as string,
  }));
  // Staff joined over the past two years; created_at before every conversation they touch.
  const day = 86_400_000;
  const users = staffMembers.map((s) => ({
    id: s.id,
    email: s.email,
    name: s.name,
    role: s.role,
    team_id: s.team ? teamIds[s.team] : null,
    avatar_source_key: avatarSourceKey(s.id),
    last_seen_at: new Date(now.getTime() - rng.int(5, 3 * 24 * 60) * 60_000),
    created_at: new Date(now.getTime() - rng.int(60, 730) * day),
    updated_at: new Date(now.getTime() - rng.int(31, 59) * day),
  }));
  const customers = Array.from({ length: customerCount }, (_, i) =>
    makeCustomer(createRng(seed, STREAM.customer, i)),
  );
  return {
    staff: staffMembers,
    agents: staffMembers.filter((s) => s.role === "agent"),
    supervisors: staffMembers.filter((s) => s.role === "supervisor"),
    teamIds,
    queueIds,
    skillIds,
    dispositionIds,
    customers,
    rows: {
      teams: TEAMS.map((name) => ({
        id: teamIds[name],
        name,
        created_at: new Date(now.getTime() - 800 * day),
      })),
      users,
      queues: QUEUES.map((name) => ({
        id: queueIds[name],
        name,
        created_at: new Date(now.getTime() - 700 * day),
      })),
      skills: SKILLS.map((name) => ({
        id: skillIds[name],
        name,
        created_at: new Date(now.getTime() - 700 * day),
      })),
      dispositions: DISPOSITIONS.map((d) => ({
        id: dispositionIds[d.code],
        code: d.code,
        label: d.label,
        active: d.active,
      })),
      customers: customers.map((c) => ({
        id: c.id,
        user_ref: c.userRef,
        channel_user_id: c.channelUserId,
        name: c.name,
        phone: c.phone,
        email: c.email,
        created_at: new Date(now.getTime() - 400 * day),
      })),
    },
  };
}

function makeCustomer(rng: Rng): Customer {
  const language = rng.choose<Language>({ "en-US": 55, "es-ES": 18, "fr-FR": 14, "de-DE": 13 });
  const firstName = rng.pick(FIRST_NAMES[language]);
  const lastName = rng.pick(LAST_NAMES[language]);
  const { phone, spokenPhone } = makePhone(rng, language);
  const local = `${ascii(firstName)}.${ascii(lastName)}`.toLowerCase();
  const email = `${rng.chance(0.3) ? `${local}${rng.int(1, 99)}` : local}@${rng.pick(EMAIL_DOMAINS)}`;
  const id = rng.uuid();
  return {
    id,
    userRef: `usr_${id.replaceAll("-", "").slice(0, 12)}`,
    channelUserId: `cuid-${id.replaceAll("-", "").slice(12, 28)}`,
    firstName,
    name: `${firstName} ${lastName}`,
    language,
    phone,
    spokenPhone,
    email,
    tier: rng.choose<CustomerTier>({ standard: 75, gold: 20, platinum: 5 }),
    segment: rng.choose({ consumer: 70, small_business: 22, enterprise: 8 }),
  };
}

// Numbers stay in ranges reserved for fiction where one exists (US 555-01xx).
function makePhone(rng: Rng, language: Language): { phone: string; spokenPhone: string } {
  switch (language) {
    case "en-US": {
      const area = rng.pick(["212", "312", "415", "512", "617", "702", "206", "303"]);
      const line = `01${rng.digits(2)}`;
      return { phone: `+1${area}555${line}`, spokenPhone: `${area}-555-${line}` };
    }
    case "es-ES": {
      const d = `6${rng.digits(8)}`;
      return { phone: `+34${d}`, spokenPhone: `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}` };
    }
    case "fr-FR": {
      const d = `6${rng.digits(8)}`;
      const pairs = `0${d}`.match(/../g) ?? [];
      return { phone: `+33${d}`, spokenPhone: pairs.join(" ") };
    }
    case "de-DE": {
      const d = `15${rng.int(1, 9)}${rng.digits(8)}`;
      return { phone: `+49${d}`, spokenPhone: `0${d.slice(0, 3)} ${d.slice(3)}` };
    }
  }
}

function ascii(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
