using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Internal;

namespace Mudbase.Data;

/// <summary>
/// The JSON work behind <see cref="Filter"/>: values, field checks, combining, the server's operator rules, and the
/// canonical form that equality compares. Everything is written by hand over <see cref="JsonNode"/>: no reflection.
/// </summary>
internal static class FilterJson
{
    /// <summary>The operators allowed in a field's condition object.</summary>
    private static readonly HashSet<string> FieldOperators = new(StringComparer.Ordinal)
    {
        "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$exists",
    };

    /// <summary>
    /// Readable and compact: the text goes into a URL-encoded query parameter or a log, never into HTML, so
    /// non-ASCII letters and quotes need no escaping.
    /// </summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Values

    public static JsonNode? Value(string? value) => value is null ? null : JsonValue.Create(value);

    public static JsonNode Value(bool value) => JsonValue.Create(value);

    public static JsonNode Value(int value) => JsonValue.Create(value);

    public static JsonNode Value(long value) => JsonValue.Create(value);

    public static JsonNode Value(decimal value) => JsonValue.Create(value);

    public static JsonNode Value(double value, string paramName)
    {
        CheckFinite(value, paramName);
        return JsonValue.Create(value);
    }

    public static void CheckFinite(double value, string paramName)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{paramName} must be a finite number; JSON has no NaN or infinity.", paramName);
        }
    }

    /// <summary>UTC, milliseconds, <c>Z</c>: JavaScript's <c>Date.toISOString()</c>, as the server writes its dates.</summary>
    public static JsonNode Value(DateTimeOffset value) => JsonValue.Create(FormatDate(value));

    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A private copy of a caller's node, re-read from its JSON text so that every value is plain JSON from then on.
    /// Keys starting with <c>$</c> inside a value are refused: the server would read them as operators.
    /// </summary>
    public static JsonNode? Copy(JsonNode? value, string paramName)
    {
        if (value is null)
        {
            return null;
        }

        JsonNode? copy;
        try
        {
            copy = JsonNode.Parse(Write(value));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new ArgumentException($"{paramName} cannot be written as JSON: {ex.Message}", paramName, ex);
        }

        return copy;
    }

    /// <summary>A private copy of a comparison value (see <see cref="Copy"/>), with no operator-like key inside.</summary>
    public static JsonNode? CopyValue(JsonNode? value, string paramName)
    {
        var copy = Copy(value, paramName);
        CheckValue(copy, paramName, "");
        return copy;
    }

    /// <summary>Refuses operator-like keys inside a comparison value.</summary>
    public static void CheckValue(JsonNode? value, string paramName, string path)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var property in obj)
                {
                    if (IsOperator(property.Key))
                    {
                        throw new ArgumentException(
                            $"{paramName} holds the key \"{property.Key}\" at {(path.Length == 0 ? "its top level" : path)}: keys starting with '$' inside a value would be read as operators, which the server refuses.",
                            paramName);
                    }

                    CheckValue(property.Value, paramName, path.Length == 0 ? property.Key : path + "." + property.Key);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckValue(array[i], paramName, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                }

                break;
        }
    }

    public static string Write(JsonNode node) => Write(node, static (writer, node) => node.WriteTo(writer));

    /// <summary>What <paramref name="write"/> writes, compact and readable (see <see cref="WriterOptions"/>).</summary>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // One writer and buffer a thread, reused: writing a filter's JSON then costs only the string. Taken out of the
        // slot while in use, so a write inside a write gets its own.
        var cached = t_writer ?? new CachedWriter();
        t_writer = null;
        try
        {
            write(cached.Writer, state);
            cached.Writer.Flush();
            return Encoding.UTF8.GetString(cached.Buffer.GetBuffer(), 0, (int)cached.Buffer.Length);
        }
        finally
        {
            cached.Buffer.SetLength(0);
            cached.Writer.Reset(cached.Buffer);
            if (cached.Buffer.Capacity <= MaxCachedBuffer)
            {
                t_writer = cached;
            }
        }
    }

    /// <summary>A buffer grown past this by a large document is let go rather than kept for the thread.</summary>
    private const int MaxCachedBuffer = 16 * 1024;

    [ThreadStatic]
    private static CachedWriter? t_writer;

    private sealed class CachedWriter
    {
        public CachedWriter() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);

        public MemoryStream Buffer { get; } = new();

        public Utf8JsonWriter Writer { get; }
    }

    // Fields

    /// <summary>A field name or dotted path: not blank, no empty segment, no segment starting with <c>$</c>.</summary>
    public static void CheckField(string field, string paramName)
    {
        Guard.NotBlank(field, paramName);
        if (FieldProblem(field) is { } problem)
        {
            throw new ArgumentException($"{paramName} \"{field}\" {problem}", paramName);
        }
    }

    private static string? FieldProblem(string field)
    {
        // Segment by segment, without splitting the text.
        for (var start = 0; ; )
        {
            var dot = field.IndexOf('.', start);
            var segment = field.AsSpan(start, (dot < 0 ? field.Length : dot) - start);
            if (segment.IsWhiteSpace())
            {
                return "has an empty segment; a dotted path looks like \"address.city\".";
            }

            if (segment[0] == '$')
            {
                return "starts with '$', which marks an operator, not a field.";
            }

            if (dot < 0)
            {
                return null;
            }

            start = dot + 1;
        }
    }

    // Combining

    /// <summary>
    /// Every condition of every operand, ANDs flattened, in one object: a field's operator conditions merge while
    /// their operators differ; anything that would clash goes into <c>$and</c>.
    /// </summary>
    public static JsonObject And(IEnumerable<JsonObject> operands)
    {
        var result = new JsonObject();
        var clashes = new JsonArray();
        foreach (var conjunct in Conjuncts(operands))
        {
            var (key, value) = (conjunct.Key, conjunct.Value);
            if (!result.TryGetPropertyValue(key, out var existing))
            {
                result[key] = value?.DeepClone();
            }
            else if (key[0] != '$' && IsOperatorObject(existing) && IsOperatorObject(value)
                && !((JsonObject)value!).Any(op => ((JsonObject)existing!).ContainsKey(op.Key)))
            {
                foreach (var op in (JsonObject)value!)
                {
                    ((JsonObject)existing!)[op.Key] = op.Value?.DeepClone();
                }
            }
            else
            {
                clashes.Add((JsonNode)new JsonObject { [key] = value?.DeepClone() });
            }
        }

        if (clashes.Count > 0)
        {
            result["$and"] = clashes;
        }

        return result;
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Conjuncts(IEnumerable<JsonObject> operands)
    {
        foreach (var operand in operands)
        {
            foreach (var property in operand)
            {
                if (property.Key == "$and" && property.Value is JsonArray items)
                {
                    foreach (var conjunct in Conjuncts(items.OfType<JsonObject>()))
                    {
                        yield return conjunct;
                    }
                }
                else
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>One <c>$or</c> over every operand, an operand that is itself only an <c>$or</c> contributing its items.</summary>
    public static JsonObject Or(IEnumerable<JsonObject> operands)
    {
        var items = new JsonArray();
        foreach (var operand in operands)
        {
            if (operand.Count == 1 && operand.TryGetPropertyValue("$or", out var nested) && nested is JsonArray alternatives)
            {
                foreach (var alternative in alternatives)
                {
                    items.Add(alternative?.DeepClone());
                }
            }
            else
            {
                items.Add(operand.DeepClone());
            }
        }

        return new JsonObject { ["$or"] = items };
    }

    /// <summary>True for a key starting with <c>$</c>: an operator, never a field.</summary>
    public static bool IsOperator(string key) => key.Length > 0 && key[0] == '$';

    /// <summary>A non-empty object whose keys are all operators, as in <c>{"$gt":1}</c>.</summary>
    private static bool IsOperatorObject(JsonNode? node) =>
        node is JsonObject obj && obj.Count > 0 && obj.All(property => IsOperator(property.Key));

    // The server's rules

    /// <summary>Checks a whole filter object as the server would, naming the path of the first problem.</summary>
    public static void Validate(JsonObject filter, string paramName) => ValidateFilter(filter, paramName, "");

    private static void ValidateFilter(JsonObject filter, string paramName, string path)
    {
        foreach (var property in filter)
        {
            var at = path.Length == 0 ? property.Key : path + "." + property.Key;
            if (property.Key is "$and" or "$or")
            {
                if (property.Value is not JsonArray items || items.Count == 0)
                {
                    throw Refuse(paramName, $"{property.Key} at {Where(at)} must be a non-empty array of filter objects.");
                }

                for (var i = 0; i < items.Count; i++)
                {
                    var itemPath = at + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (items[i] is not JsonObject item)
                    {
                        throw Refuse(paramName, $"{itemPath} must be a filter object.");
                    }

                    ValidateFilter(item, paramName, itemPath);
                }

                continue;
            }

            if (IsOperator(property.Key))
            {
                throw RefuseOperator(paramName, property.Key, at);
            }

            if (string.IsNullOrWhiteSpace(property.Key) || FieldProblem(property.Key) is not null)
            {
                throw Refuse(paramName, $"the field name \"{property.Key}\" at {Where(path)} {FieldProblem(property.Key) ?? "is blank."}");
            }

            ValidateCondition(property.Value, paramName, at);
        }
    }

    private static void ValidateCondition(JsonNode? condition, string paramName, string path)
    {
        if (condition is not JsonObject obj || !obj.Any(property => IsOperator(property.Key)))
        {
            // Plain equality; a value may still not hide an operator.
            FindOperatorInValue(condition, paramName, path);
            return;
        }

        foreach (var property in obj)
        {
            var at = path + "." + property.Key;
            if (!FieldOperators.Contains(property.Key))
            {
                throw IsOperator(property.Key)
                    ? RefuseOperator(paramName, property.Key, at)
                    : Refuse(paramName, $"{path} mixes operators and plain keys (\"{property.Key}\"); write {{\"$eq\":{{…}}}} to compare with an object.");
            }

            if (property.Key is "$in" or "$nin" && property.Value is not JsonArray)
            {
                throw Refuse(paramName, $"{property.Key} at {at} must be an array.");
            }

            FindOperatorInValue(property.Value, paramName, at);
        }
    }

    private static void FindOperatorInValue(JsonNode? value, string paramName, string path)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var property in obj)
                {
                    var at = path + "." + property.Key;
                    if (IsOperator(property.Key))
                    {
                        throw RefuseOperator(paramName, property.Key, at);
                    }

                    FindOperatorInValue(property.Value, paramName, at);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    FindOperatorInValue(array[i], paramName, path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
                }

                break;
        }
    }

    private static string Where(string path) => path.Length == 0 ? "the top level" : path;

    private static ArgumentException RefuseOperator(string paramName, string op, string path) =>
        op is "$regex" or "$text" or "$where" or "$search"
            ? Refuse(paramName, $"uses {op} at {path}, which the server refuses (400). Use Search, or filter on the client.")
            : Refuse(paramName, $"uses {op} at {path}; the server accepts only equality, $eq $ne $gt $gte $lt $lte $in $nin $exists, and $and/$or.");

    private static ArgumentException Refuse(string paramName, string problem) => new($"{paramName} {problem}", paramName);

    // Canonical form for equality

    /// <summary>
    /// The filter with its meaning-free differences removed: keys sorted, numbers normalized, <c>{"f":v}</c> written
    /// <c>{"f":{"$eq":v}}</c>, and the items of <c>$in $nin $and $or</c> sorted and deduplicated.
    /// </summary>
    public static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        var builder = new StringBuilder(json.Length + 16);
        CanonicalFilter(document.RootElement, builder);
        return builder.ToString();
    }

    private static void CanonicalFilter(JsonElement filter, StringBuilder builder)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            CanonicalValue(filter, builder);
            return;
        }

        CanonicalObject(filter, static name => name is "$and" or "$or", CanonicalFilter, CanonicalCondition, builder);
    }

    private static void CanonicalCondition(JsonElement condition, StringBuilder builder)
    {
        var isOperators = condition.ValueKind == JsonValueKind.Object
            && condition.EnumerateObject().Any(property => IsOperator(property.Name));
        if (!isOperators)
        {
            builder.Append("{\"$eq\":");
            CanonicalValue(condition, builder);
            builder.Append('}');
            return;
        }

        CanonicalObject(condition, static name => name is "$in" or "$nin", CanonicalValue, CanonicalValue, builder);
    }

    /// <summary>
    /// An object with its members in name order: a member named as a set (<paramref name="isSet"/>) holding an array has its
    /// items in canonical order (<paramref name="item"/>), any other member's value is written by <paramref name="value"/>.
    /// </summary>
    private static void CanonicalObject(
        JsonElement obj, Func<string, bool> isSet, Action<JsonElement, StringBuilder> item, Action<JsonElement, StringBuilder> value, StringBuilder builder)
    {
        builder.Append('{');
        var first = true;
        foreach (var property in obj.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal))
        {
            Separator(builder, ref first);
            AppendString(property.Name, builder);
            builder.Append(':');
            if (isSet(property.Name) && property.Value.ValueKind == JsonValueKind.Array)
            {
                CanonicalSet(property.Value, item, builder);
            }
            else
            {
                value(property.Value, builder);
            }
        }

        builder.Append('}');
    }

    private static void CanonicalSet(JsonElement array, Action<JsonElement, StringBuilder> canonical, StringBuilder builder)
    {
        var items = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            var itemBuilder = new StringBuilder();
            canonical(item, itemBuilder);
            items.Add(itemBuilder.ToString());
        }

        builder.Append('[').Append(string.Join(",", items)).Append(']');
    }

    private static void CanonicalValue(JsonElement value, StringBuilder builder)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                var first = true;
                foreach (var property in value.EnumerateObject().OrderBy(property => property.Name, StringComparer.Ordinal))
                {
                    Separator(builder, ref first);
                    AppendString(property.Name, builder);
                    builder.Append(':');
                    CanonicalValue(property.Value, builder);
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    Separator(builder, ref firstItem);
                    CanonicalValue(item, builder);
                }

                builder.Append(']');
                break;
            case JsonValueKind.String:
                AppendString(value.GetString()!, builder);
                break;
            case JsonValueKind.Number:
                builder.Append(CanonicalNumber(value));
                break;
            default:
                builder.Append(value.GetRawText());
                break;
        }
    }

    private static string CanonicalNumber(JsonElement number)
    {
        if (number.TryGetDecimal(out var exact))
        {
            // Dividing by 1.000…0 drops trailing zeros: 1.50 and 1.5 and 1.5e0 all become 1.5.
            var normalized = exact / 1.000000000000000000000000000000000m;
            return normalized == 0 ? "0" : normalized.ToString(CultureInfo.InvariantCulture);
        }

        return number.GetDouble().ToString("R", CultureInfo.InvariantCulture);
    }

    private static void AppendString(string text, StringBuilder builder) =>
        builder.Append('"').Append(JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Append('"');

    private static void Separator(StringBuilder builder, ref bool first)
    {
        if (!first)
        {
            builder.Append(',');
        }

        first = false;
    }
}
