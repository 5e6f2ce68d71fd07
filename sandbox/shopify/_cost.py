"""Calculated query cost, following Shopify's published rules.

- scalars and enums cost 0; an object costs 1;
- a connection costs 2 plus ``first`` times the cost of one node (``edges`` is free,
  ``node`` / ``nodes`` count as the object);
- a list with a ``first`` argument costs ``first`` times one element;
- each mutation field costs 10.

``requested_cost`` is worked out from the document before it runs; ``actual_cost``
walks the result, counting the nodes that came back instead of ``first``.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    get_named_type,
    value_from_ast,
)

__all__ = ["requested_cost", "actual_cost", "MUTATION_COST"]

MUTATION_COST = 10


class _Costing:
    def __init__(self, schema: GraphQLSchema, document, variables: dict | None, operation_name: str | None):
        self.schema = schema
        self.variables = variables or {}
        self.fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name:
            ops = [o for o in ops if o.name and o.name.value == operation_name] or ops
        self.operation = ops[0] if ops else None

    def fields(self, selection_set, parent: Any):
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                yield sel, parent
            elif isinstance(sel, InlineFragmentNode):
                target = self.schema.type_map.get(sel.type_condition.name.value) if sel.type_condition else parent
                yield from self.fields(sel.selection_set, target)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value in self.fragments:
                frag = self.fragments[sel.name.value]
                yield from self.fields(frag.selection_set, self.schema.type_map[frag.type_condition.name.value])

    def first_arg(self, node: FieldNode, parent: GraphQLObjectType) -> int | None:
        field_def = parent.fields.get(node.name.value)
        for arg in node.arguments:
            if arg.name.value in ("first", "last"):
                value = value_from_ast(arg.value, field_def.args[arg.name.value].type, self.variables)
                return int(value) if value is not None else None
        return None

    def selection(self, selection_set, parent, data: Any = None) -> int:
        total = 0
        for node, owner in self.fields(selection_set, parent):
            if not isinstance(owner, GraphQLObjectType) or node.name.value not in owner.fields:
                continue
            key = node.alias.value if node.alias else node.name.value
            sub = data.get(key) if isinstance(data, dict) else None
            total += self.field(node, owner, sub, measured=isinstance(data, dict))
        return total

    def field(self, node: FieldNode, parent: GraphQLObjectType, data: Any, measured: bool) -> int:
        field_type = parent.fields[node.name.value].type
        named = get_named_type(field_type)
        if not isinstance(named, GraphQLObjectType):
            return 0
        if named.name.endswith("Connection"):
            count = self._count(data, measured, self.first_arg(node, parent))
            per_node = self._node_cost(node, named, data)
            return 2 + count * per_node
        inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
        if isinstance(inner, GraphQLList):
            if measured:
                items = data or []
                return sum(1 + self.selection(node.selection_set, named, item) for item in items) if items else 0
            first = self.first_arg(node, parent)
            return (first if first is not None else 1) * (1 + self.selection(node.selection_set, named))
        if measured and data is None:
            return 0
        return 1 + self.selection(node.selection_set, named, data if measured else None)

    @staticmethod
    def _count(data: Any, measured: bool, first: int | None) -> int:
        if measured:
            if not isinstance(data, dict):
                return 0
            return max(len(data.get("edges") or []), len(data.get("nodes") or []))
        return first if first is not None else 1

    def _node_cost(self, node: FieldNode, connection: GraphQLObjectType, data: Any) -> int:
        """Cost of one node under ``edges { node }`` or ``nodes`` (the largest seen when measuring)."""
        node_type = get_named_type(connection.fields["nodes"].type) if "nodes" in connection.fields else None
        best = 0
        for child, _owner in self.fields(node.selection_set, connection):
            name = child.name.value
            if name == "nodes":
                samples = (
                    (data or {}).get(child.alias.value if child.alias else name) if isinstance(data, dict) else None
                )
                best = max(best, self._per_item(child.selection_set, node_type, samples))
            elif name == "edges":
                edge_type = get_named_type(connection.fields["edges"].type)
                for grand, _o in self.fields(child.selection_set, edge_type):
                    if grand.name.value == "node":
                        edges = (
                            (data or {}).get(child.alias.value if child.alias else name)
                            if isinstance(data, dict)
                            else None
                        )
                        samples = (
                            [e.get(grand.alias.value if grand.alias else "node") for e in edges] if edges else None
                        )
                        best = max(best, self._per_item(grand.selection_set, node_type, samples))
        return best or 1

    def _per_item(self, selection_set, node_type, samples) -> int:
        if samples:
            return max(1 + self.selection(selection_set, node_type, item) for item in samples)
        return 1 + self.selection(selection_set, node_type)

    def cost(self, data: Any = None) -> int:
        if self.operation is None:
            return 0
        if self.operation.operation.value == "mutation":
            return MUTATION_COST * sum(1 for _ in self.fields(self.operation.selection_set, self.schema.mutation_type))
        root = self.schema.query_type
        if data is None:
            return max(1, self.selection(self.operation.selection_set, root))
        return max(1, self.selection(self.operation.selection_set, root, data))


def requested_cost(schema: GraphQLSchema, document, variables: dict | None = None,
                   operation_name: str | None = None) -> int:
    """The cost Shopify reserves before running the query."""
    return _Costing(schema, document, variables, operation_name).cost()


def actual_cost(schema: GraphQLSchema, document, data: dict | None, variables: dict | None = None,
                operation_name: str | None = None) -> int:
    """The cost of what the query actually returned (never more than requested)."""
    costing = _Costing(schema, document, variables, operation_name)
    requested = costing.cost()
    if data is None or costing.operation is None or costing.operation.operation.value == "mutation":
        return requested
    return min(requested, costing.cost(data))
