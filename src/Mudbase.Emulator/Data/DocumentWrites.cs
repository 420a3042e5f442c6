using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Data;

/// <summary>
/// The checks on a document write's body, and the building of the stored document. A body is a flat JSON
/// object; unknown fields are kept as sent. <c>_id</c>, <c>createdAt</c> and <c>updatedAt</c> are the server's:
/// sent ones are ignored, so that a client may send back a document it read.
/// </summary>
internal static class DocumentWrites
{
    private static readonly HashSet<string> ProtectedFields = new(StringComparer.Ordinal) { "role", "permissions", "customRole", "isAdmin" };
    private static readonly HashSet<string> ServerFields = new(StringComparer.Ordinal) { "_id", "createdAt", "updatedAt" };
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The checks before any schema: field names (no <c>$</c> operators, no dotted paths), protected role fields
    /// (403 unless the API key calls), then the ObjectId rule (400).
    /// </summary>
    public static IResult? CheckRequestFields(JsonElement body, DataCaller caller)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (property.Name.Length == 0 || property.Name.StartsWith('$') || property.Name.Contains('.', StringComparison.Ordinal))
            {
                return ErrorResults.BadRequest($"Invalid input: Invalid query: Invalid field name {property.Name}");
            }
        }

        if (caller is not DataCaller.Key && body.EnumerateObject().Any(property => ProtectedFields.Contains(property.Name)))
        {
            return ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Cannot set protected role fields"));
        }

        foreach (var property in body.EnumerateObject())
        {
            if (ObjectIdRule.AppliesTo(property.Name) && !ObjectIdRule.IsValidValue(property.Value))
            {
                return ErrorResults.BadRequest(ObjectIdRule.Message(property.Name));
            }
        }

        return null;
    }

    /// <summary>Validates a whole new document (defaults and condition fills already in) against the schema.</summary>
    public static List<string> ValidateCreated(CollectionSchema collection, JsonElement document)
    {
        var errors = new List<string>();
        foreach (var field in collection.Fields)
        {
            if (!document.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    errors.Add($"\"{field.Name}\" is required");
                }

                continue;
            }

            ValidateValue(field, value, errors);
        }

        return errors;
    }

    /// <summary>Validates only what a patch changes, as Mongoose's update validators do; <c>null</c> clears, unless required.</summary>
    public static List<string> ValidatePatch(CollectionSchema collection, JsonElement patch)
    {
        var errors = new List<string>();
        foreach (var field in collection.Fields)
        {
            if (!patch.TryGetProperty(field.Name, out var value))
            {
                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required)
                {
                    errors.Add($"\"{field.Name}\" is required");
                }

                continue;
            }

            ValidateValue(field, value, errors);
        }

        return errors;
    }

    /// <summary>The 400 of a failed validation; <c>error</c> names the fields too, for a client that shows only <c>error</c>.</summary>
    public static IResult ValidationFailed(IReadOnlyList<string> details) =>
        ErrorResults.Status(StatusCodes.Status400BadRequest, new ErrorBody("Validation failed: " + string.Join(", ", details)) { Details = details });

    /// <summary>
    /// The fields a condition fill writes, and whether the body contradicts one (a client writing another user's id),
    /// which the hosted service refuses.
    /// </summary>
    public static bool ContradictsFill(JsonElement body, JsonElement fill) =>
        FillValues(fill).Any(pair => body.TryGetProperty(pair.Name, out var sent) && !JsonValues.AreEqual(sent, pair.Value));

    /// <summary>
    /// The new document: <c>_id</c> first, the body's fields as sent, schema defaults and condition fills for fields
    /// the body left out, then <c>createdAt</c> and <c>updatedAt</c>.
    /// </summary>
    public static JsonElement BuildCreated(string id, JsonElement body, CollectionSchema collection, JsonElement? fill, DateTimeOffset now)
    {
        var timestamp = JsonAnswer.Timestamp(now);
        return JsonAnswer.ToElement(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("_id", id);
            var written = new HashSet<string>(ServerFields, StringComparer.Ordinal);
            foreach (var property in body.EnumerateObject())
            {
                if (written.Add(property.Name))
                {
                    property.WriteTo(writer);
                }
            }

            foreach (var field in collection.Fields)
            {
                if (field.Default is { } value && written.Add(field.Name))
                {
                    writer.WritePropertyName(field.Name);
                    value.WriteTo(writer);
                }
            }

            if (fill is { } condition)
            {
                foreach (var (name, value) in FillValues(condition))
                {
                    if (written.Add(name))
                    {
                        writer.WritePropertyName(name);
                        value.WriteTo(writer);
                    }
                }
            }

            writer.WriteString("createdAt", timestamp);
            writer.WriteString("updatedAt", timestamp);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The document after a patch: each patched field replaced (in place), <c>null</c> removing it, new fields
    /// added before the timestamps; <c>updatedAt</c> set to now.
    /// </summary>
    public static JsonElement BuildPatched(JsonElement current, JsonElement patch, DateTimeOffset now) => JsonAnswer.ToElement(writer =>
    {
        writer.WriteStartObject();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in current.EnumerateObject())
        {
            if (property.Name is "createdAt" or "updatedAt" || !seen.Add(property.Name))
            {
                continue;
            }

            if (property.Name != "_id" && patch.TryGetProperty(property.Name, out var replacement))
            {
                if (replacement.ValueKind != JsonValueKind.Null)
                {
                    writer.WritePropertyName(property.Name);
                    replacement.WriteTo(writer);
                }
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (!ServerFields.Contains(property.Name) && seen.Add(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
            {
                property.WriteTo(writer);
            }
        }

        if (current.TryGetProperty("createdAt", out var createdAt))
        {
            writer.WritePropertyName("createdAt");
            createdAt.WriteTo(writer);
        }

        writer.WriteString("updatedAt", JsonAnswer.Timestamp(now));
        writer.WriteEndObject();
    });

    // The top-level equalities of a condition: {"userId":"<id>"} gives userId; operators and $and/$or give nothing.
    private static IEnumerable<(string Name, JsonElement Value)> FillValues(JsonElement condition) =>
        condition.EnumerateObject()
            .Where(property => !property.Name.StartsWith('$') && !property.Name.Contains('.', StringComparison.Ordinal)
                && !(property.Value.ValueKind == JsonValueKind.Object && property.Value.EnumerateObject().Any(p => p.Name.StartsWith('$'))))
            .Select(property => (property.Name, property.Value));

    private static void ValidateValue(SchemaField field, JsonElement value, List<string> errors)
    {
        var name = field.Name;
        var before = errors.Count;
        switch (field.Type)
        {
            case "string" or "text" or "enum":
                Expect(value.ValueKind == JsonValueKind.String, $"\"{name}\" must be a string");
                break;
            case "email":
                Expect(value.ValueKind == JsonValueKind.String && EmailAddress.IsValid(value.GetString()!), $"\"{name}\" must be a valid email");
                break;
            case "url":
                Expect(
                    value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                    $"\"{name}\" must be a valid uri");
                break;
            case "number":
                Expect(value.ValueKind == JsonValueKind.Number, $"\"{name}\" must be a number");
                break;
            case "boolean":
                Expect(value.ValueKind is JsonValueKind.True or JsonValueKind.False, $"\"{name}\" must be a boolean");
                break;
            case "date" or "datetime":
                // An ISO 8601 string, or a number of milliseconds since the epoch, as Joi's date() takes.
                Expect(
                    value.ValueKind == JsonValueKind.Number
                    || value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
                    $"\"{name}\" must be a valid date");
                break;
            case "array":
                Expect(value.ValueKind == JsonValueKind.Array, $"\"{name}\" must be an array");
                break;
            case "object":
                Expect(value.ValueKind == JsonValueKind.Object, $"\"{name}\" must be of type object");
                break;
            case "reference":
                Expect(value.ValueKind == JsonValueKind.String && ObjectIdGenerator.IsValid(value.GetString()!), $"\"{name}\" must be a valid ObjectId");
                break;
            case "file":
                Expect(value.ValueKind is JsonValueKind.String or JsonValueKind.Object, $"\"{name}\" must be a string or an object");
                break;
        }

        if (errors.Count == before)
        {
            ApplyRules(field, value, errors);
        }

        void Expect(bool condition, string message)
        {
            if (!condition)
            {
                errors.Add(message);
            }
        }
    }

    // validation {enum, min, max, minLength, maxLength, pattern}; an enum field may also list its values as `enum` or `options`.
    private static void ApplyRules(SchemaField field, JsonElement value, List<string> errors)
    {
        var name = field.Name;
        var rules = field.Validation;
        var allowed = ArrayRule(rules, "enum") ?? (field.Type == "enum" ? ArrayRule(field.Raw, "enum") ?? ArrayRule(field.Raw, "options") : null);
        if (allowed is { } values && !values.EnumerateArray().Any(item => JsonValues.AreEqual(item, value)))
        {
            errors.Add($"\"{name}\" must be one of [{string.Join(", ", values.EnumerateArray().Select(Display))}]");
            return;
        }

        if (rules is not { } validation)
        {
            return;
        }

        var size = value.ValueKind switch
        {
            JsonValueKind.Number => JsonValues.ToDouble(value),
            JsonValueKind.String => value.GetString()!.Length,
            JsonValueKind.Array => value.GetArrayLength(),
            _ => (double?)null,
        };
        if (size is { } measured)
        {
            var isString = value.ValueKind == JsonValueKind.String;
            var min = NumberRule(validation, "min") ?? (isString ? NumberRule(validation, "minLength") : null);
            var max = NumberRule(validation, "max") ?? (isString ? NumberRule(validation, "maxLength") : null);
            if (min is { } least && measured < least)
            {
                errors.Add(SizeMessage(name, value.ValueKind, "at least", least));
            }

            if (max is { } most && measured > most)
            {
                errors.Add(SizeMessage(name, value.ValueKind, "less than or equal to", most));
            }
        }

        if (value.ValueKind == JsonValueKind.String && validation.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String)
        {
            bool matches;
            try
            {
                matches = Regex.IsMatch(value.GetString()!, pattern.GetString()!, RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (Exception exception) when (exception is ArgumentException or RegexMatchTimeoutException)
            {
                matches = false;
            }

            if (!matches)
            {
                errors.Add($"\"{name}\" with value \"{value.GetString()}\" fails to match the required pattern: /{pattern.GetString()}/");
            }
        }
    }

    // Joi's wording: "n" must be greater than or equal to 1; "s" length must be at least 3 characters long; "a" must contain at least 1 items.
    private static string SizeMessage(string name, JsonValueKind kind, string bound, double limit) => kind switch
    {
        JsonValueKind.String => $"\"{name}\" length must be {bound} {Display(limit)} characters long",
        JsonValueKind.Array => $"\"{name}\" must contain {bound} {Display(limit)} items",
        _ => $"\"{name}\" must be {(bound == "at least" ? "greater than or equal to" : bound)} {Display(limit)}",
    };

    private static JsonElement? ArrayRule(JsonElement? container, string name) =>
        container is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : null;

    private static double? NumberRule(JsonElement container, string name) =>
        container.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? JsonValues.ToDouble(value) : null;

    private static string Display(double number) => number.ToString(CultureInfo.InvariantCulture);

    private static string Display(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
