// What happens in one conversation, decided up front: channel, direction, language, topic, who
// handles it (automation, an agent, or both) and how it ends.

import type { Rng } from "../../lib/random.ts";
import type { Channel, Direction } from "../types.ts";
import type { Catalog, Customer, DispositionCode, Language, QueueName, SkillName, Team } from "./catalog.ts";
import { CAMPAIGNS, type Campaign, type Intent } from "./phrases.ts";

export type Mode = "automation" | "hybrid" | "agent";
export type Outcome =
  | "resolved"
  | "user_hangup"
  | "no_input"
  | "llm_error"
  | "inactive"
  | "abandoned"
  | "no_answer";

export const INTENT_ROUTING: Record<
  Intent,
  { queue: QueueName; skill: SkillName; team: Team; weight: number }
> = {
  billing: { queue: "Billing", skill: "Billing", team: "Billing & Retention", weight: 20 },
  order_status: { queue: "General Support", skill: "Order Management", team: "Customer Care", weight: 18 },
  technical: {
    queue: "Technical Support",
    skill: "Technical Troubleshooting",
    team: "Technical Support",
    weight: 22,
  },
  cancel: { queue: "Retention", skill: "Retention", team: "Billing & Retention", weight: 9 },
  refund: { queue: "Returns & Refunds", skill: "Refunds", team: "Customer Care", weight: 12 },
  upgrade: { queue: "Sales", skill: "Sales", team: "Customer Care", weight: 9 },
  address_change: {
    queue: "General Support",
    skill: "Account Management",
    team: "Customer Care",
    weight: 10,
  },
};

export const CAMPAIGN_INFO: Record<Campaign, { name: string; code: string }> = {
  renewal: { name: "Contract Renewal Q4", code: "REN" },
  appointment: { name: "Technician Appointment Reminders", code: "APT" },
};

export const DISPOSITION_BY_TOPIC: Record<Intent | Campaign, readonly DispositionCode[]> = {
  billing: ["RESOLVED", "REFUND_ISSUED", "FOLLOW_UP"],
  order_status: ["INFO_PROVIDED", "RESOLVED"],
  technical: ["RESOLVED", "ESCALATED", "FOLLOW_UP"],
  cancel: ["CANCELLATION_SAVED", "CANCELLED"],
  refund: ["REFUND_ISSUED", "RESOLVED"],
  upgrade: ["SALE_COMPLETED", "INFO_PROVIDED"],
  address_change: ["RESOLVED", "INFO_PROVIDED"],
  renewal: ["SALE_COMPLETED", "NO_SALE", "CALLBACK_SCHEDULED"],
  appointment: ["RESOLVED", "CALLBACK_SCHEDULED"],
};

const TEST_CARDS = ["4111 1111 1111 1111", "5500 0000 0000 0004", "4012 8888 8888 1881", "3782 822463 10005"];

export type Plan = {
  channel: Channel;
  direction: Direction;
  language: Language;
  customer: Customer;
  topic: { kind: "intent"; intent: Intent } | { kind: "campaign"; campaign: Campaign };
  mode: Mode;
  outcome: Outcome;
  latencyReport: boolean;
  /** Call Recording Control: a few voice calls are not recorded at all. */
  recordingEnabled: boolean;
  values: Record<string, string>;
};

export function makePlan(rng: Rng, catalog: Catalog): Plan {
  // Repeat customers: the head of the list calls more often.
  const customer = catalog.customers[Math.floor(rng.next() ** 1.7 * catalog.customers.length)] as Customer;
  const language = customer.language;
  const channel = rng.choose<Channel>({ voice: 45, chat: 38, email: 17 });
  const outboundShare = channel === "voice" ? 0.22 : channel === "chat" ? 0.05 : 0.12;
  const direction: Direction = rng.chance(outboundShare) ? "outbound" : "inbound";
  const topic: Plan["topic"] =
    direction === "outbound" && channel !== "chat"
      ? { kind: "campaign", campaign: rng.pick(CAMPAIGNS) }
      : {
          kind: "intent",
          intent: rng.weighted(
            Object.entries(INTENT_ROUTING).map(([k, v]) => [k as Intent, v.weight] as const),
          ),
        };
  let mode: Mode;
  let outcome: Outcome;
  if (channel === "email") {
    mode = "agent";
    outcome = "resolved";
  } else if (channel === "voice" && direction === "outbound") {
    mode = "agent";
    outcome = rng.chance(0.2) ? "no_answer" : "resolved";
  } else if (channel === "chat" && direction === "outbound") {
    mode = rng.chance(0.7) ? "automation" : "hybrid";
    outcome = rng.chance(0.85) ? "resolved" : "inactive";
  } else {
    mode = rng.choose<Mode>(
      channel === "voice"
        ? { automation: 28, hybrid: 57, agent: 15 }
        : { automation: 35, hybrid: 55, agent: 10 },
    );
    outcome = rng.choose<Outcome>(
      mode === "automation"
        ? channel === "voice"
          ? { resolved: 62, user_hangup: 14, no_input: 12, llm_error: 12 }
          : { resolved: 70, inactive: 18, llm_error: 12 }
        : mode === "hybrid"
          ? { resolved: 84, abandoned: 9, llm_error: 7 }
          : { resolved: 95, abandoned: 5 },
    );
  }
  const amount = (rng.int(1500, 12000) / 100).toFixed(2);
  const dob = {
    y: String(rng.int(1950, 2003)),
    m: String(rng.int(1, 12)).padStart(2, "0"),
    d: String(rng.int(1, 28)).padStart(2, "0"),
  };
  return {
    channel,
    direction,
    language,
    customer,
    topic,
    mode,
    outcome,
    latencyReport: channel === "voice" && rng.chance(0.55),
    recordingEnabled: channel !== "voice" || rng.chance(0.97),
    values: {
      first: customer.firstName,
      name: customer.name,
      phone: customer.spokenPhone,
      email: customer.email,
      card: rng.pick(TEST_CARDS),
      order: `BL-${rng.digits(7)}`,
      amount: language === "en-US" ? `$${amount}` : `${amount.replace(".", ",")} €`,
      dob:
        language === "en-US"
          ? `${dob.m}/${dob.d}/${dob.y}`
          : language === "de-DE"
            ? `${dob.d}.${dob.m}.${dob.y}`
            : `${dob.d}/${dob.m}/${dob.y}`,
      ticket: `T-${rng.digits(6)}`,
      agent: "",
    },
  };
}
