"""What a request selects under a field, per object type, as graphql-core collects it: ``Selections``.

``eager.py`` runs the node fields of a whole selection level before graphql-core reaches
them; it needs, for an object of a given type under a field, the fields the request asks of
it, each with its arguments and the way graphql-core would call its resolver. This module
answers that from the operation's AST, the schema and the variables, following the rules
graphql-core applies: fields grouped by response name (alias), fragments and inline
fragments whose type condition the object's type meets, ``@skip`` and ``@include``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from graphql.pyutils import Path


@dataclass(frozen=True, slots=True)
class Selected:
    """One field the request selects on an object type: how to resolve it, and what it selects in turn."""

    key: str  # the response name (the alias, if any)
    field: GraphQLField
    nodes: tuple[FieldNode, ...]
    arguments: dict[str, Any]  # as graphql-core passes them to the resolver
    info: GraphQLResolveInfo  # what the resolver gets (its path names the field, not the list index)
    leaf: bool  # of a scalar or enum type: nothing is selected under it

    def resolve(self, source: Any) -> Any:
        """What graphql-core's call of the field's resolver on ``source`` gives (a value or an awaitable)."""
        return self.field.resolve(source, self.info, **self.arguments)  # type: ignore[misc]


class Selections:
    """The fields selected under one field of one request that lead to a ``wanted`` one, per object type.

    A field is listed when it is wanted or when a wanted field is selected somewhere under it;
    each object type's list is collected once.
    """

    def __init__(self, info: GraphQLResolveInfo, wanted: Callable[[GraphQLField], bool]) -> None:
        self.info = info
        self.wanted = wanted
        # Resolvers see the coerced values; graphql-core's argument coercion reads them from its container
        # (whose sources only fragment variables, an experiment this schema leaves off, consult).
        self.variables = VariableValues({}, info.variable_values)
        self._collected: dict[tuple[str, tuple[int, ...]], tuple[Selected, ...]] = {}

    def object_type(self, type_: GraphQLOutputType, value: Any) -> GraphQLObjectType | None:
        """The object type graphql-core completes ``value`` as, under a field of named type ``type_``."""
        named = get_named_type(type_)
        if not is_abstract_type(named):
            return named if isinstance(named, GraphQLObjectType) else None
        definition = getattr(type(value), "__strawberry_definition__", None)  # how strawberry resolves the type
        runtime = self.info.schema.get_type(definition.name) if definition is not None else None
        return runtime if isinstance(runtime, GraphQLObjectType) else None

    def of(self, object_type: GraphQLObjectType, nodes: Sequence[FieldNode]) -> tuple[Selected, ...]:
        """The fields ``nodes`` (one response name's field nodes) select on ``object_type``."""
        key = (object_type.name, tuple(map(id, nodes)))
        found = self._collected.get(key)
        if found is None:
            found = self._collected[key] = tuple(s for s in self._collect(object_type, nodes) if self._leads(s))
        return found

    def _leads(self, selected: Selected) -> bool:
        """True for a wanted field, or one with a wanted field under it for some type of its values."""
        if self.wanted(selected.field):
            return True
        if selected.leaf:
            return False
        named = get_named_type(selected.field.type)
        types = self.info.schema.get_possible_types(named) if is_abstract_type(named) else [named]  # type: ignore[arg-type]
        return any(self.of(t, selected.nodes) for t in types if isinstance(t, GraphQLObjectType))

    def _collect(self, object_type: GraphQLObjectType, nodes: Sequence[FieldNode]) -> Iterable[Selected]:
        grouped: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set:
                self._visit(object_type, node.selection_set, grouped)
        for key, same in grouped.items():
            field = object_type.fields.get(same[0].name.value)
            if field is None:  # __typename, or a field of another type of an abstract one
                continue
            arguments = get_argument_values(field, same[0], self.variables) if field.args else {}
            info = self.info._replace(
                field_name=same[0].name.value, field_nodes=same, return_type=field.type, parent_type=object_type,
                path=Path(self.info.path, key, object_type.name),
            )
            yield Selected(key, field, tuple(same), arguments, info, is_leaf_type(get_named_type(field.type)))

    def _visit(self, object_type: GraphQLObjectType, selection_set: SelectionSetNode,
               grouped: dict[str, list[FieldNode]]) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                grouped.setdefault(selection.alias.value if selection.alias else selection.name.value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if selection.type_condition is None or self._applies(selection.type_condition.name.value, object_type):
                    self._visit(object_type, selection.selection_set, grouped)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.info.fragments.get(selection.name.value)
                if fragment is not None and self._applies(fragment.type_condition.name.value, object_type):
                    self._visit(object_type, fragment.selection_set, grouped)

    def _applies(self, condition: str, object_type: GraphQLObjectType) -> bool:
        conditional = self.info.schema.get_type(condition)
        if conditional is object_type:
            return True
        return is_abstract_type(conditional) and self.info.schema.is_sub_type(conditional, object_type)  # type: ignore[arg-type]

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and include.get("if") is False)
