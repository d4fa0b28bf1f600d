"""Form bodies for the OpenAPI fake: decoding Stripe-style bracket keys, casting to the schema.

``application/x-www-form-urlencoded`` carries strings only; :func:`decode_form` rebuilds the nested
objects and lists, :func:`cast_form_value` turns the strings into the types the spec's schema asks
for, so the body can be validated like a JSON one (see :mod:`.openapi_fake`).
"""

import re
from urllib.parse import parse_qsl

_BRACKET_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")


def decode_form(raw):
    """Decode an ``application/x-www-form-urlencoded`` body into nested objects.

    ``a[b][c]=1`` -> ``{"a": {"b": {"c": "1"}}}``; ``l[0]=x&l[1]=y`` and ``l[]=x&l[]=y`` ->
    ``{"l": ["x", "y"]}``; a flat key repeated (Twilio's ``MediaUrl``) -> a list. Values stay
    strings: casting to the schema's types is the validator's job.
    """
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8")
    root = {}
    for key, value in parse_qsl(raw, keep_blank_values=True):
        match = _BRACKET_KEY.match(key)
        if match:
            parts = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
        else:
            parts = [key]
        node = root
        for position, part in enumerate(parts):
            last = position == len(parts) - 1
            if part == "":
                # "l[]": append to a list kept under the special key
                part = len(node)
                while str(part) in node:
                    part += 1
                part = str(part)
            if last:
                if part in node and len(parts) == 1:
                    existing = node[part]
                    node[part] = (existing if isinstance(existing, list) else [existing]) + [value]
                else:
                    node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists_from_indexes(root)


def _lists_from_indexes(node):
    if isinstance(node, list):
        return [_lists_from_indexes(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _lists_from_indexes(value) for key, value in node.items()}
    if node and all(key.isdigit() for key in node):
        indexes = sorted(int(key) for key in node)
        if indexes == list(range(len(indexes))):
            return [node[str(index)] for index in indexes]
    return node


def _resolve(data, schema):
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 50:
        node = data
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema = node
        seen += 1
    return schema


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def cast_form_value(data, schema, value):
    """Cast decoded form strings to the types ``schema`` asks for (best effort, never raises)."""
    try:
        return _cast(data, schema, value)
    except (ValueError, TypeError):
        return value


def _cast(data, schema, value):
    schema = _resolve(data, schema)
    if not isinstance(schema, dict):
        return value
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            if value == "" and any(
                "" in (_resolve(data, sub).get("enum") or ()) for sub in schema[combinator]
            ):
                return value
            for sub in schema[combinator]:
                try:
                    return _cast_strict(data, sub, value)
                except (ValueError, TypeError):
                    continue
            return value
    if "allOf" in schema:
        for sub in schema["allOf"]:
            value = _cast(data, sub, value)
        return value
    return _cast_strict(data, schema, value)


def _cast_strict(data, schema, value):
    schema = _resolve(data, schema)
    if not isinstance(schema, dict):
        return value
    if any(key in schema for key in ("anyOf", "oneOf", "allOf")):
        return _cast(data, schema, value)
    kind = schema.get("type")
    if kind == "object" or (kind is None and "properties" in schema):
        if not isinstance(value, dict):
            raise ValueError("not an object")
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        result = {}
        for key, item in value.items():
            if key in properties:
                result[key] = _cast(data, properties[key], item)
            elif isinstance(extra, dict):
                result[key] = _cast(data, extra, item)
            else:
                result[key] = item
        return result
    if kind == "array":
        if isinstance(value, dict) and all(key.isdigit() for key in value):
            value = [value[key] for key in sorted(value, key=int)]
        if not isinstance(value, list):
            value = [value]
        return [_cast(data, schema.get("items") or {}, item) for item in value]
    if not isinstance(value, str):
        if kind in ("string", "integer", "number", "boolean"):
            raise ValueError(f"not a {kind}")
        return value
    if kind == "boolean":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ValueError("not a boolean")
    if kind == "integer":
        return int(value)
    if kind == "number":
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    if "enum" in schema and value not in schema["enum"]:
        raise ValueError("not in enum")
    return value


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------
