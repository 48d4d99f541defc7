// Reading EXPLAIN (format json) plans in the query-plan tests (DESIGN: every list/search query has
// an index that serves it, and a test that EXPLAINs it on seeded data).

/** One node of a JSON plan, with the fields the plan tests look at. */
export type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Sort Key"?: string[];
  "Index Cond"?: string;
  "Actual Loops"?: number;
  "Actual Rows"?: number;
  Plans?: PlanNode[];
};

/** Every node of a plan, the root first, depth first. */
export function flattenPlan(root: PlanNode): PlanNode[] {
  const nodes: PlanNode[] = [];
  const walk = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(root);
  return nodes;
}
