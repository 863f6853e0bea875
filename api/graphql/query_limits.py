"""Request limits checked at validation: depth, aliases and complexity.

Complexity is the estimated number of objects an operation can return.

Each field costs 1; a paginated field (one with a ``first`` argument) multiplies
the cost of its selection by its page size (``first`` when written literally,
the page cap when it is a variable, the default page size when omitted). An
operation whose estimate exceeds the cap is rejected at validation, before any
store work, with a GraphQL error that names the estimate and the cap.
"""

from __future__ import annotations

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
)
from graphql.type import GraphQLNamedType
from strawberry.extensions import AddValidationRules, MaxAliasesLimiter, QueryDepthLimiter

from ietfkg.api.graphql.types_common import DEFAULT_PAGE, MAX_PAGE

MAX_COST = 50_000


def _page(field: FieldNode, paginated: bool) -> int:
    if not paginated:
        return 1
    for arg in field.arguments or ():
        if arg.name.value == "first":
            return int(arg.value.value) if isinstance(arg.value, IntValueNode) else MAX_PAGE
    return DEFAULT_PAGE


class QueryCostRule(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.fragments = {
            d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        root = self.context.schema.get_root_type(node.operation)
        cost = self._cost(node.selection_set, root, set())
        if cost > MAX_COST:
            self.report_error(GraphQLError(
                f"Query is too complex: an estimated {cost:,} objects, over the limit of {MAX_COST:,}. "
                "Ask for smaller pages (first:) or fewer nested lists.",
                node, extensions={"code": "too_complex"},
            ))

    def _cost(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None, seen: set[str]) -> int:
        if selection_set is None or parent is None:
            return 0
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                field = parent.fields.get(sel.name.value) if isinstance(parent, GraphQLObjectType) or hasattr(parent, "fields") else None
                if field is None:
                    continue
                child = get_named_type(field.type)
                total += 1 + _page(sel, "first" in field.args) * self._cost(sel.selection_set, child, seen)
            elif isinstance(sel, InlineFragmentNode):
                cond = self.context.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
                total += self._cost(sel.selection_set, cond, seen)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                frag = self.fragments.get(sel.name.value)
                if frag is not None:
                    cond = self.context.schema.get_type(frag.type_condition.name.value)
                    total += self._cost(frag.selection_set, cond, seen | {sel.name.value})
        return total


# Built once: strawberry's limiters make a new rule class per instance, and the validation
# cache is keyed on the rule classes, so limiters made per request would never hit it.
LIMIT_RULES: tuple[type[ValidationRule], ...] = (
    *QueryDepthLimiter(max_depth=12).validation_rules,
    *MaxAliasesLimiter(max_alias_count=30).validation_rules,
    QueryCostRule,
)


class RequestLimits(AddValidationRules):
    """Depth, alias and cost limits: validation rules, so their verdict is cached with validation."""

    def __init__(self) -> None:
        super().__init__(list(LIMIT_RULES))
