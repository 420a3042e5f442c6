using System.Text.Json;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Data;

/// <summary>A filter that cannot be run; the message is the 400 answer's <c>error</c>.</summary>
internal sealed class InvalidQueryException(string message) : Exception(message);

/// <summary>
/// A compiled Mongo-style filter, the <c>filter</c> query parameter of a list: equality, <c>$eq $ne $gt $gte
/// $lt $lte $in $nin $exists</c> on dotted paths, and <c>$and</c>/<c>$or</c> of filters. Every other operator
/// is refused (<c>$regex</c>, <c>$text</c> and <c>$where</c> are on the hosted sanitizer's block list; the rest are
/// simply not part of the contract), as is a value that breaks the ObjectId rule. Immutable once parsed.
/// </summary>
/// <remarks>Matching follows <see cref="JsonValues"/>; see there for how values compare.</remarks>
internal abstract class DocumentFilter
{
    private static readonly HashSet<string> Blocked = new(StringComparer.Ordinal) { "$regex", "$options", "$text", "$search", "$where" };

    /// <summary>The filter that matches everything.</summary>
    public static DocumentFilter All { get; } = new AllFilter([]);

    public abstract bool Matches(JsonElement document);

    /// <summary>Parses the <c>filter</c> parameter; absent or empty means <see cref="All"/>.</summary>
    /// <exception cref="InvalidQueryException">Not a JSON object, or a refused operator or value.</exception>
    public static DocumentFilter ParseParameter(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidQueryException("Invalid input: Invalid query: filter must be a JSON object");
        }

        return Parse(root, checkObjectIds: true);
    }

    /// <summary>
    /// Compiles a filter object. <paramref name="checkObjectIds"/> applies the ObjectId rule to fields ending in
    /// <c>Id</c>: on for what a client sends, off for a collection's own permission conditions.
    /// </summary>
    /// <exception cref="InvalidQueryException">The filter cannot be run.</exception>
    public static DocumentFilter Parse(JsonElement filter, bool checkObjectIds)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidQueryException("Invalid input: Invalid query: filter must be a JSON object");
        }

        var parts = new List<DocumentFilter>();
        foreach (var property in filter.EnumerateObject())
        {
            parts.Add(property.Name switch
            {
                "$and" => new AllFilter(ParseList(property, checkObjectIds)),
                "$or" => new AnyFilter(ParseList(property, checkObjectIds)),
                _ when property.Name.StartsWith('$') => throw Refused(property.Name),
                _ => ParseField(property.Name, property.Value, checkObjectIds),
            });
        }

        return parts.Count == 1 ? parts[0] : new AllFilter(parts);
    }

    private static InvalidQueryException Refused(string name) => Blocked.Contains(name)
        ? new InvalidQueryException($"Invalid input: Invalid query: Operator {name} is not allowed")
        : new InvalidQueryException($"Invalid input: Invalid query: Unsupported operator {name}");

    private static List<DocumentFilter> ParseList(JsonProperty property, bool checkObjectIds)
    {
        if (property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() == 0)
        {
            throw new InvalidQueryException($"Invalid input: Invalid query: {property.Name} must be a non-empty array");
        }

        return property.Value.EnumerateArray().Select(item => Parse(item, checkObjectIds)).ToList();
    }

    private static FieldFilter ParseField(string name, JsonElement value, bool checkObjectIds)
    {
        var path = name.Split('.');
        if (path.Any(segment => segment.Length == 0))
        {
            throw new InvalidQueryException($"Invalid input: Invalid query: Invalid field name {name}");
        }

        var objectIdRule = checkObjectIds && name.EndsWith("Id", StringComparison.Ordinal);
        var tests = new List<(string Operator, JsonElement Operand)>();
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Any(p => p.Name.StartsWith('$')))
        {
            foreach (var op in value.EnumerateObject())
            {
                switch (op.Name)
                {
                    case "$eq" or "$ne" or "$gt" or "$gte" or "$lt" or "$lte":
                        CheckObjectId(objectIdRule, name, op.Value);
                        break;
                    case "$in" or "$nin":
                        if (op.Value.ValueKind != JsonValueKind.Array)
                        {
                            throw new InvalidQueryException($"Invalid input: Invalid query: {op.Name} needs an array");
                        }

                        foreach (var item in op.Value.EnumerateArray())
                        {
                            CheckObjectId(objectIdRule, name, item);
                        }

                        break;
                    case "$exists":
                        break;
                    default:
                        // Also a plain key mixed with operators: {"a":{"$gt":1,"b":2}}.
                        throw Refused(op.Name.StartsWith('$') ? op.Name : "$" + op.Name);
                }

                tests.Add((op.Name, op.Value));
            }
        }
        else
        {
            CheckObjectId(objectIdRule, name, value);
            tests.Add(("$eq", value));
        }

        return new FieldFilter(path, tests);
    }

    private static void CheckObjectId(bool applies, string name, JsonElement value)
    {
        if (applies && !ObjectIdRule.IsValidValue(value))
        {
            throw new InvalidQueryException(ObjectIdRule.Message(name));
        }
    }

    private sealed class AllFilter(IReadOnlyList<DocumentFilter> parts) : DocumentFilter
    {
        public override bool Matches(JsonElement document) => parts.All(part => part.Matches(document));
    }

    private sealed class AnyFilter(IReadOnlyList<DocumentFilter> parts) : DocumentFilter
    {
        public override bool Matches(JsonElement document) => parts.Any(part => part.Matches(document));
    }

    private sealed class FieldFilter(string[] path, List<(string Operator, JsonElement Operand)> tests) : DocumentFilter
    {
        public override bool Matches(JsonElement document)
        {
            var values = JsonValues.Resolve(document, path);
            return tests.All(test => Test(values, test.Operator, test.Operand));
        }

        private static bool Test(List<JsonElement> values, string op, JsonElement operand) => op switch
        {
            "$eq" => AnyEquals(values, operand),
            "$ne" => !AnyEquals(values, operand),
            "$in" => operand.EnumerateArray().Any(item => AnyEquals(values, item)),
            "$nin" => !operand.EnumerateArray().Any(item => AnyEquals(values, item)),
            "$exists" => values.Count > 0 == IsTruthy(operand),
            _ => AnyInRange(values, op, operand),
        };

        // A missing field equals null; an array field equals a value it contains, or an equal array.
        private static bool AnyEquals(List<JsonElement> values, JsonElement operand)
        {
            if (values.Count == 0)
            {
                return JsonValues.AreEqual(null, operand);
            }

            return Expand(values).Any(value => JsonValues.AreEqual(value, operand));
        }

        private static bool AnyInRange(List<JsonElement> values, string op, JsonElement operand)
        {
            IEnumerable<JsonElement?> candidates = values.Count == 0 ? [null] : Expand(values).Select(value => (JsonElement?)value);
            return candidates.Any(value => JsonValues.SameKind(value, operand) && op switch
            {
                "$gt" => JsonValues.Compare(value, operand) > 0,
                "$gte" => JsonValues.Compare(value, operand) >= 0,
                "$lt" => JsonValues.Compare(value, operand) < 0,
                _ => JsonValues.Compare(value, operand) <= 0,
            });
        }

        private static IEnumerable<JsonElement> Expand(List<JsonElement> values)
        {
            foreach (var value in values)
            {
                yield return value;
                if (value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var element in value.EnumerateArray())
                    {
                        yield return element;
                    }
                }
            }
        }

        private static bool IsTruthy(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.False or JsonValueKind.Null => false,
            JsonValueKind.Number => JsonValues.ToDouble(value) != 0,
            JsonValueKind.String => value.GetString()!.Length > 0,
            _ => true,
        };
    }
}

/// <summary>
/// The hosted sanitizer's ObjectId rule: a body or filter field whose name ends in <c>Id</c> holds a
/// 24-hex ObjectId or <c>null</c>; <c>""</c> fails too. Path ids are not covered.
/// </summary>
internal static class ObjectIdRule
{
    public static bool AppliesTo(string fieldName) => fieldName.EndsWith("Id", StringComparison.Ordinal);

    public static bool IsValidValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null
        || value.ValueKind == JsonValueKind.String && ObjectIdGenerator.IsValid(value.GetString()!);

    public static string Message(string fieldName) => $"Invalid input: Invalid query: Invalid ObjectId format for {fieldName}";
}
