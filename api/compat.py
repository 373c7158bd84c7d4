"""Version 1 only grows: what a newer OpenAPI document takes away from an older one.

`breaking_changes(old, new)` lists, in words a developer can act on, every way a client
generated from `old` could break against a server described by `new`:

- an operation, a response status it relied on, a response header or a field of an answer
  is gone;
- an answer's field is no longer always there, or may now be of another type (null, say);
- a parameter is gone, has become required, or takes fewer values than before (a value
  left out of its list, a shorter maximum, a stricter pattern).

Growth is not breaking: new operations, fields, optional parameters, statuses, and new
values of the open vocabularies (an enum in an answer is "one of these, or another
string"; a union with an `x-unknown` member takes new members: new block types, entry
kinds), whose readers keep an `unknown` branch (docs/api.md).
"""

from collections.abc import Iterator

SCALAR_LIMITS = {  # keyword: True when a larger value takes fewer inputs
    "minLength": True,
    "minimum": True,
    "exclusiveMinimum": True,
    "minItems": True,
    "maxLength": False,
    "maximum": False,
    "exclusiveMaximum": False,
    "maxItems": False,
}


def breaking_changes(old: dict, new: dict) -> list[str]:
    return list(_operations(old, new))


def _operations(old: dict, new: dict) -> Iterator[str]:
    for path, operations in old.get("paths", {}).items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            now = new.get("paths", {}).get(path, {}).get(method)
            if now is None:
                yield f"{where}: the operation is gone"
                continue
            yield from _parameters(where, old, new, operation, now)
            yield from _responses(where, old, new, operation, now)


def _parameters(where, old_doc, new_doc, operation, now) -> Iterator[str]:
    before = {(p["in"], p["name"]): p for p in operation.get("parameters", [])}
    after = {(p["in"], p["name"]): p for p in now.get("parameters", [])}
    for key, parameter in before.items():
        name = f"{where}: parameter `{key[1]}`"
        if key not in after:
            yield f"{name} is gone"
            continue
        if after[key].get("required") and not parameter.get("required"):
            yield f"{name} is now required"
        yield from _input(name, old_doc, new_doc, parameter["schema"], after[key]["schema"])
    for key, parameter in after.items():
        if key not in before and parameter.get("required"):
            yield f"{where}: new parameter `{key[1]}` is required"


def _responses(where, old_doc, new_doc, operation, now) -> Iterator[str]:
    for status, answer in operation.get("responses", {}).items():
        name = f"{where} → {status}"
        current = now.get("responses", {}).get(status)
        if current is None:
            yield f"{name}: the answer is no longer documented"
            continue
        for header in answer.get("headers", {}):
            if header not in current.get("headers", {}):
                yield f"{name}: header `{header}` is gone"
        for media, content in answer.get("content", {}).items():
            if media not in current.get("content", {}):
                yield f"{name}: `{media}` is no longer given"
                continue
            yield from _output(
                name, old_doc, new_doc, content["schema"], current["content"][media]["schema"]
            )


def _resolve(document: dict, schema: dict) -> tuple[dict, str | None]:
    reference = schema.get("$ref")
    if reference is None:
        return schema, None
    node = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node, reference


def _types(document: dict, schema: dict, seen: frozenset = frozenset()) -> set[str]:
    """The JSON types a schema allows ("object:Name" for a referenced object)."""
    schema, reference = _resolve(document, schema)
    if reference in seen:
        return set()
    seen = seen | {reference}
    members = schema.get("anyOf") or schema.get("oneOf")
    if members:
        return set().union(*(_types(document, member, seen) for member in members))
    kind = schema.get("type")
    if kind is None:
        return {"any"}
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if reference and kinds == {"object"}:
        return {f"object:{reference.rsplit('/', 1)[-1]}"}
    return kinds


def _output(name, old_doc, new_doc, old, new, seen=None) -> Iterator[str]:
    """What a reader of `old` may meet in `new` that it could not before."""
    seen = set() if seen is None else seen
    old, old_ref = _resolve(old_doc, old)
    new, new_ref = _resolve(new_doc, new)
    if old_ref is not None and (old_ref, new_ref) in seen:
        return
    seen.add((old_ref, new_ref))
    if old_ref is not None:
        name = f"{name} ({old_ref.rsplit('/', 1)[-1]})"
    before, after = _types(old_doc, old), _types(new_doc, new)
    if "any" not in before and (extra := after - before) and not _open(new_doc, new):
        yield f"{name}: may now be {', '.join(sorted(extra))}"
    if "const" in old and old["const"] != new.get("const"):
        yield f"{name}: was always {old['const']!r}"
    for member_name, old_member, new_member in _members(old_doc, new_doc, old, new):
        yield from _output(
            f"{name} ({member_name})", old_doc, new_doc, old_member, new_member, seen
        )
    for key, field in old.get("properties", {}).items():
        if key not in new.get("properties", {}):
            yield f"{name}: field `{key}` is gone"
            continue
        yield from _output(f"{name}.{key}", old_doc, new_doc, field, new["properties"][key], seen)
    for key in set(old.get("required", [])) - set(new.get("required", [])):
        if key in new.get("properties", {}):
            yield f"{name}: field `{key}` is no longer always there"
    if "items" in old and "items" in new:
        yield from _output(f"{name}[]", old_doc, new_doc, old["items"], new["items"], seen)


def _open(document: dict, schema: dict) -> bool:
    """Whether a union has a member for values added later (`x-unknown`): its readers
    are told to expect new members."""
    members = schema.get("anyOf") or schema.get("oneOf") or []
    return any(_resolve(document, member)[0].get("x-unknown") for member in members)


def _members(old_doc, new_doc, old, new) -> Iterator[tuple[str, dict, dict]]:
    """The union members of `old` and `new` that are the same thing: by discriminator
    value, else by referenced schema, else by type."""
    old_members = old.get("anyOf") or old.get("oneOf") or []
    new_members = new.get("anyOf") or new.get("oneOf") or []
    old_keys = {_member_key(old, old_doc, member): member for member in old_members}
    new_keys = {_member_key(new, new_doc, member): member for member in new_members}
    for key, member in old_keys.items():
        if key in new_keys:
            yield key, member, new_keys[key]


def _member_key(union: dict, document: dict, member: dict) -> str:
    mapping = union.get("discriminator", {}).get("mapping", {})
    for value, reference in mapping.items():
        if member.get("$ref") == reference:
            return value
    if "$ref" in member:
        return member["$ref"].rsplit("/", 1)[-1]
    return ",".join(sorted(_types(document, member)))


def _input(name, old_doc, new_doc, old, new) -> Iterator[str]:
    """What a value `old` took that `new` may refuse."""
    old, _ = _resolve(old_doc, old)
    new, _ = _resolve(new_doc, new)
    before, after = _types(old_doc, old), _types(new_doc, new)
    if "any" not in after and (lost := before - after):
        yield f"{name}: no longer takes {', '.join(sorted(lost))}"
    if "enum" in old and (lost := set(old["enum"]) - set(new.get("enum", old["enum"]))):
        yield f"{name}: no longer takes {', '.join(sorted(map(str, lost)))}"
    if "enum" in new and "enum" not in old:
        yield f"{name}: now takes only {', '.join(map(str, new['enum']))}"
    pattern = old.get("pattern")
    if new.get("pattern") not in (None, pattern) and (
        pattern is None or f"(?:{pattern})" not in new["pattern"]
    ):
        yield f"{name}: its pattern changed (it must still take every value it took)"
    for keyword, larger_is_stricter in SCALAR_LIMITS.items():
        if keyword not in new:
            continue
        if keyword not in old:
            yield f"{name}: now has a {keyword} of {new[keyword]}"
        elif (new[keyword] > old[keyword]) == larger_is_stricter and new[keyword] != old[keyword]:
            yield f"{name}: its {keyword} went from {old[keyword]} to {new[keyword]}"
    for old_member, new_member in zip(old.get("anyOf", []), new.get("anyOf", []), strict=False):
        yield from _input(name, old_doc, new_doc, old_member, new_member)
