using System.Text.Json;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Data;

/// <summary>
/// What a caller may do with a collection's documents for one action, from the collection's grants
/// <c>[{role, actions, condition?}]</c>.
/// </summary>
/// <remarks>
/// Roles a caller holds:
/// <list type="bullet">
/// <item>everyone, a caller without any credential included: <c>public</c>;</item>
/// <item>every signed-in project user, guests included: <c>authenticated</c>, and their system role <c>viewer</c>
/// (every project user has it, so a <c>viewer</c> grant is the same as an <c>authenticated</c> one);</item>
/// <item>a user with an app role: that role, their <c>customRole</c> (<c>customer</c>, <c>vendor</c>…). A user without
/// one holds only the two above and shows as <c>customRole: "none"</c> in a refusal, as live.</item>
/// </list>
/// The API key is allowed every action on every row. Grants that match add up: one without a condition
/// gives every row; otherwise a row is the caller's if it matches any matching grant's condition. A condition's
/// string values <c>$userId</c> (or <c>$user.id</c>) and <c>$user.email</c> stand for the caller's; a caller
/// without a user cannot satisfy such a grant.
/// </remarks>
internal sealed class DataAccess
{
    public const string PublicRole = "public";
    public const string AuthenticatedRole = "authenticated";

    private DataAccess(bool granted, IReadOnlyList<DocumentFilter>? conditions, JsonElement? fill)
    {
        Granted = granted;
        Conditions = conditions;
        Fill = fill;
    }

    /// <summary>Whether any grant gives the action.</summary>
    public bool Granted { get; }

    /// <summary>The rows the action reaches: <see langword="null"/> for all of them.</summary>
    public IReadOnlyList<DocumentFilter>? Conditions { get; }

    /// <summary>The first matching grant's condition, placeholders filled: what a create writes into the document.</summary>
    public JsonElement? Fill { get; }

    public bool Reaches(JsonElement document) => Conditions is null || Conditions.Any(condition => condition.Matches(document));

    public static DataAccess For(CollectionSchema collection, DataCaller caller, string action)
    {
        if (caller is DataCaller.Key)
        {
            return new DataAccess(granted: true, conditions: null, fill: null);
        }

        var roles = RolesOf(caller);
        var rules = collection.Permissions.Where(rule => roles.Contains(rule.Role) && rule.Actions.Contains(action)).ToList();
        if (rules.Count == 0)
        {
            return new DataAccess(granted: false, conditions: [], fill: null);
        }

        if (rules.Any(rule => rule.Condition is null))
        {
            return new DataAccess(granted: true, conditions: null, fill: null);
        }

        var resolved = rules.Select(rule => Resolve(rule.Condition!.Value, caller)).OfType<JsonElement>().ToList();
        return new DataAccess(
            granted: true,
            conditions: resolved.Select(condition => DocumentFilter.Parse(condition, checkObjectIds: false)).ToList(),
            fill: resolved.Count > 0 ? resolved[0] : null);
    }

    /// <summary>
    /// The refusal for a caller without the grant: 401 without a credential, else the live RBAC body,
    /// <c>{"error":"Insufficient permissions","required":{action,collection},"userRole","customRole"}</c>.
    /// </summary>
    public static IResult Refuse(CollectionSchema collection, DataCaller caller, string action)
    {
        if (caller is not DataCaller.User user)
        {
            return ErrorResults.Unauthorized("Authentication required");
        }

        return JsonAnswer.Write(StatusCodes.Status403Forbidden, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", "Insufficient permissions");
            writer.WriteStartObject("required");
            writer.WriteString("action", action);
            writer.WriteString("collection", collection.Name);
            writer.WriteEndObject();
            writer.WriteString("userRole", user.Account.Role);
            writer.WriteString("customRole", user.Account.CustomRole ?? "none");
            writer.WriteEndObject();
        });
    }

    private static HashSet<string> RolesOf(DataCaller caller)
    {
        var roles = new HashSet<string>(StringComparer.Ordinal) { PublicRole };
        if (caller is DataCaller.User user)
        {
            roles.Add(AuthenticatedRole);
            roles.Add(user.Account.Role);
            if (user.Account.CustomRole is { Length: > 0 } customRole)
            {
                roles.Add(customRole);
            }
        }

        return roles;
    }

    // Null when the condition names the user and there is none.
    private static JsonElement? Resolve(JsonElement condition, DataCaller caller)
    {
        var unresolved = false;
        var element = JsonAnswer.ToElement(writer => Copy(writer, condition));
        return unresolved ? null : element;

        void Copy(Utf8JsonWriter writer, JsonElement value)
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (var property in value.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        Copy(writer, property.Value);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (var item in value.EnumerateArray())
                    {
                        Copy(writer, item);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String when value.GetString() is "$userId" or "$user.id" or "$user.email":
                    if (caller is DataCaller.User user)
                    {
                        writer.WriteStringValue(value.GetString() == "$user.email" ? user.Account.Email : user.Account.Id);
                    }
                    else
                    {
                        unresolved = true;
                        writer.WriteNullValue();
                    }

                    break;
                default:
                    value.WriteTo(writer);
                    break;
            }
        }
    }
}
