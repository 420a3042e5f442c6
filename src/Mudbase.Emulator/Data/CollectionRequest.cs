using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mudbase.Emulator.Data;

/// <summary>What a create or update of a collection asks for; on an update, <see langword="null"/> keeps the current value.</summary>
internal sealed record CollectionDraft(
    string? Name,
    string? Slug,
    IReadOnlyList<SchemaField>? Fields,
    IReadOnlyList<PermissionRule>? Permissions,
    JsonElement? Settings);

/// <summary>
/// Reads the body of <c>POST</c> and <c>PATCH …/collections</c> (and <see cref="MudbaseEmulator.CreateCollection"/>,
/// which goes through the same checks) with Joi's messages: <c>{name*, slug?, fields*, permissions?, settings?}</c>.
/// A grant's condition may be sent as <c>condition</c> or <c>conditions</c> (the blog's spelling).
/// </summary>
internal static partial class CollectionRequest
{
    private static readonly HashSet<string> ReservedFieldNames = new(StringComparer.Ordinal) { "_id", "createdAt", "updatedAt" };

    /// <returns>The draft, or <see langword="null"/> with the failures in <paramref name="errors"/>.</returns>
    public static CollectionDraft? Read(JsonElement body, bool isCreate, List<string> errors)
    {
        var name = ReadName(body, isCreate, errors);
        var slug = ReadSlug(body, errors);
        IReadOnlyList<SchemaField>? fields = null;
        if (body.TryGetProperty("fields", out var fieldsValue))
        {
            fields = ReadFields(fieldsValue, errors);
        }
        else if (isCreate)
        {
            errors.Add("\"fields\" is required");
        }

        IReadOnlyList<PermissionRule>? permissions = body.TryGetProperty("permissions", out var permissionsValue)
            ? ReadPermissions(permissionsValue, errors)
            : isCreate ? [] : null;

        JsonElement? settings = null;
        if (body.TryGetProperty("settings", out var settingsValue))
        {
            if (settingsValue.ValueKind == JsonValueKind.Object)
            {
                settings = settingsValue.Clone();
            }
            else
            {
                errors.Add("\"settings\" must be of type object");
            }
        }
        else if (isCreate)
        {
            settings = EmptyObject;
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new CollectionDraft(name, slug ?? (isCreate ? SlugFrom(name!) : null), fields, permissions, settings);
    }

    public static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>A slug made from a name: lower case, each run of other characters a single <c>-</c>.</summary>
    public static string SlugFrom(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString().TrimEnd('-');
        return text.Length == 0 ? "collection" : text;
    }

    private static string? ReadName(JsonElement body, bool isCreate, List<string> errors)
    {
        if (!body.TryGetProperty("name", out var value))
        {
            if (isCreate)
            {
                errors.Add("\"name\" is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add("\"name\" must be a string");
            return null;
        }

        var name = value.GetString()!.Trim();
        if (name.Length == 0)
        {
            errors.Add("\"name\" is not allowed to be empty");
            return null;
        }

        return name;
    }

    private static string? ReadSlug(JsonElement body, List<string> errors)
    {
        if (!body.TryGetProperty("slug", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !Slug().IsMatch(value.GetString()!))
        {
            errors.Add($"\"slug\" with value \"{(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}\" fails to match the required pattern: /{Slug()}/");
            return null;
        }

        return value.GetString();
    }

    private static List<SchemaField>? ReadFields(JsonElement value, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("\"fields\" must be an array");
            return null;
        }

        var fields = new List<SchemaField>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"fields[{index++}]";
            if (ReadField(item, at, errors) is not { } field)
            {
                continue;
            }

            if (fields.Any(existing => existing.Name == field.Name))
            {
                errors.Add($"\"{at}\" contains a duplicate value");
                continue;
            }

            fields.Add(field);
        }

        return fields;
    }

    private static SchemaField? ReadField(JsonElement item, string at, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"\"{at}\" must be of type object");
            return null;
        }

        var before = errors.Count;
        string? name = null;
        if (!item.TryGetProperty("name", out var nameValue))
        {
            errors.Add($"\"{at}.name\" is required");
        }
        else if (nameValue.ValueKind != JsonValueKind.String || nameValue.GetString()!.Length == 0)
        {
            errors.Add($"\"{at}.name\" must be a non-empty string");
        }
        else if (nameValue.GetString() is var text && (text!.StartsWith('$') || text.Contains('.', StringComparison.Ordinal) || ReservedFieldNames.Contains(text)))
        {
            errors.Add($"\"{at}.name\" must not start with $, contain a dot, or be _id, createdAt or updatedAt");
        }
        else
        {
            name = text;
        }

        string? type = null;
        if (!item.TryGetProperty("type", out var typeValue))
        {
            errors.Add($"\"{at}.type\" is required");
        }
        else if (typeValue.ValueKind != JsonValueKind.String || !FieldTypes.All.Contains(typeValue.GetString()))
        {
            errors.Add($"\"{at}.type\" must be one of [{string.Join(", ", FieldTypes.All)}]");
        }
        else
        {
            type = typeValue.GetString();
        }

        var required = ReadFlag(item, "required", at, errors);
        var unique = ReadFlag(item, "unique", at, errors);
        JsonElement? validation = null;
        if (item.TryGetProperty("validation", out var validationValue) && validationValue.ValueKind != JsonValueKind.Null)
        {
            if (validationValue.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"\"{at}.validation\" must be of type object");
            }
            else
            {
                validation = validationValue.Clone();
            }
        }

        JsonElement? defaultValue = item.TryGetProperty("default", out var d) && d.ValueKind != JsonValueKind.Null ? d.Clone() : null;
        if (errors.Count > before)
        {
            return null;
        }

        return new SchemaField(name!, type!, required, unique, defaultValue, validation, item.Clone());
    }

    private static bool ReadFlag(JsonElement item, string name, string at, List<string> errors)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add($"\"{at}.{name}\" must be a boolean");
            return false;
        }

        return value.GetBoolean();
    }

    private static List<PermissionRule>? ReadPermissions(JsonElement value, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add("\"permissions\" must be an array");
            return null;
        }

        var rules = new List<PermissionRule>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var at = $"permissions[{index++}]";
            if (ReadPermission(item, at, errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static PermissionRule? ReadPermission(JsonElement item, string at, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"\"{at}\" must be of type object");
            return null;
        }

        var before = errors.Count;
        var role = item.TryGetProperty("role", out var roleValue) && roleValue.ValueKind == JsonValueKind.String && roleValue.GetString()!.Length > 0
            ? roleValue.GetString()
            : null;
        if (role is null)
        {
            errors.Add($"\"{at}.role\" is required");
        }

        var actions = new List<string>();
        if (!item.TryGetProperty("actions", out var actionsValue) || actionsValue.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"\"{at}.actions\" must be an array");
        }
        else
        {
            var i = 0;
            foreach (var action in actionsValue.EnumerateArray())
            {
                if (action.ValueKind == JsonValueKind.String && DataActions.All.Contains(action.GetString()))
                {
                    actions.Add(action.GetString()!);
                }
                else
                {
                    errors.Add($"\"{at}.actions[{i}]\" must be one of [{string.Join(", ", DataActions.All)}]");
                }

                i++;
            }
        }

        JsonElement? condition = null;
        if ((item.TryGetProperty("condition", out var conditionValue) || item.TryGetProperty("conditions", out conditionValue))
            && conditionValue.ValueKind != JsonValueKind.Null)
        {
            try
            {
                // Checked now, with placeholders as they are, so that a broken condition fails here rather than on every read.
                _ = DocumentFilter.Parse(conditionValue, checkObjectIds: false);
                condition = conditionValue.Clone();
            }
            catch (InvalidQueryException exception)
            {
                errors.Add($"\"{at}.condition\" is not a valid filter: {exception.Message}");
            }
        }

        return errors.Count > before ? null : new PermissionRule(role!, actions, condition, item.Clone());
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex Slug();
}
