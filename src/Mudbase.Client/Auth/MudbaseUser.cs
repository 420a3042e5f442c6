using System.Text.Json;
using System.Text.Json.Serialization;
using Mudbase.Serialization;

namespace Mudbase.Auth;

/// <summary>A user of a Mudbase project, as the server described them. Fields the SDK does not know are kept in <see cref="AdditionalProperties"/>.</summary>
public sealed class MudbaseUser
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoProperties = new Dictionary<string, JsonElement>();

    [JsonConstructor]
    internal MudbaseUser()
    {
    }

    /// <summary>
    /// Creates a user, for a session restored from your own storage (see <see cref="MudbaseClient.WithSession"/>) or for tests.
    /// </summary>
    /// <param name="id">The user's id.</param>
    /// <param name="email">The user's email address.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    public MudbaseUser(string id, string email, string firstName = "", string lastName = "")
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(email);
        Id = id;
        Email = email;
        FirstName = firstName ?? "";
        LastName = lastName ?? "";
    }

    /// <summary>The user's id (the server sends <c>id</c> or <c>_id</c>; both are accepted).</summary>
    [JsonInclude]
    public string Id { get; internal set; } = "";

    /// <summary>The user's email address.</summary>
    [JsonInclude, JsonConverter(typeof(NullAsEmptyStringConverter))]
    public string Email { get; internal set; } = "";

    /// <summary>The user's first name.</summary>
    [JsonInclude, JsonConverter(typeof(NullAsEmptyStringConverter))]
    public string FirstName { get; internal set; } = "";

    /// <summary>The user's last name.</summary>
    [JsonInclude, JsonConverter(typeof(NullAsEmptyStringConverter))]
    public string LastName { get; internal set; } = "";

    /// <summary>The user's role in the project, such as <c>viewer</c>, when the server says.</summary>
    [JsonInclude]
    public string? Role { get; internal set; }

    /// <summary>The project-defined role, when there is one.</summary>
    [JsonInclude, JsonConverter(typeof(LenientStringConverter))]
    public string? CustomRole { get; internal set; }

    /// <summary>Whether the email address is verified, when the server says.</summary>
    [JsonInclude]
    public bool? EmailVerified { get; internal set; }

    /// <summary>Whether this is an anonymous (guest) user, when the server says.</summary>
    [JsonInclude]
    public bool? IsAnonymous { get; internal set; }

    /// <summary>Every field of the server's answer that has no property here, as raw JSON.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties => ExtensionData ?? NoProperties;

    [JsonExtensionData, JsonInclude]
    internal Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Some endpoints answer <c>_id</c>; <c>id</c> wins when both are present.</summary>
    [JsonInclude, JsonPropertyName("_id")]
    internal string? LegacyId
    {
        get => null;
        set
        {
            if (string.IsNullOrEmpty(Id) && value is not null)
            {
                Id = value;
            }
        }
    }

    /// <summary>A copy with another app role: the user after an approved role elevation, whose refresh answer may not name them.</summary>
    internal MudbaseUser WithCustomRole(string customRole) =>
        new(Id, Email, FirstName, LastName)
        {
            Role = Role,
            CustomRole = customRole,
            EmailVerified = EmailVerified,
            IsAnonymous = IsAnonymous,
            ExtensionData = ExtensionData,
        };

    /// <inheritdoc />
    public override string ToString() => $"MudbaseUser {{ Id = {Id}, Email = {Email}, Role = {Role}, IsAnonymous = {IsAnonymous} }}";
}
