using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Auth;

namespace Mudbase.Roles;

/// <summary>A role of a project, as the available list, the configuration or the permissions matrix describes it. Fields a source does not send are null or false.</summary>
public sealed class AppRole
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoProperties = new Dictionary<string, JsonElement>();

    /// <summary>The role's slug: what <see cref="MudbaseUser.CustomRole"/> holds.</summary>
    public required string Slug { get; init; }

    /// <summary>Its display name.</summary>
    public string? Name { get; init; }

    /// <summary>Its description.</summary>
    public string? Description { get; init; }

    /// <summary>The path segment to sign up into it (<see cref="IMudbaseAuth.RegisterWithRoleAsync"/>); usually the slug.</summary>
    public string? SignupEndpoint { get; init; }

    /// <summary>Whether an admin must approve it.</summary>
    public bool RequiresApproval { get; init; }

    /// <summary>Whether it must be paid for.</summary>
    public bool RequiresPayment { get; init; }

    /// <summary>Whether it needs an identity check (KYC).</summary>
    public bool RequiresKyc { get; init; }

    /// <summary>Whether it is on (configuration only; null elsewhere).</summary>
    public bool? IsEnabled { get; init; }

    /// <summary>Whether the project defined it, rather than a preset (configuration only).</summary>
    public bool? IsCustom { get; init; }

    /// <summary>Its rank: a user may not ask for a role above their own (configuration only, when set).</summary>
    public int? PrivilegeLevel { get; init; }

    /// <summary>Everything else the server sent for it (its permissions, for example), as raw JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = NoProperties;

    /// <inheritdoc />
    public override string ToString() => $"AppRole {{ Slug = {Slug}, Name = {Name}, RequiresApproval = {RequiresApproval} }}";
}

/// <summary>A project's multi-role configuration.</summary>
public sealed class RoleConfiguration
{
    /// <summary>Whether the project uses app roles.</summary>
    public bool IsEnabled { get; init; }

    /// <summary>The role a new user gets, if any.</summary>
    public string? DefaultRole { get; init; }

    /// <summary>The settings (<c>allowMultipleRoles</c>, <c>requireRoleSelection</c>, <c>autoAssignDefault</c>, <c>dataOwnerField</c>), as sent.</summary>
    public JsonObject? Settings { get; init; }

    /// <summary>Every role, enabled or not.</summary>
    public IReadOnlyList<AppRole> Roles { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"RoleConfiguration {{ IsEnabled = {IsEnabled}, DefaultRole = {DefaultRole}, Roles = {Roles.Count} }}";
}

/// <summary>What each role may do with each collection.</summary>
public sealed class PermissionsMatrix
{
    /// <summary>The collections, each with its grants.</summary>
    public IReadOnlyList<CollectionAccess> Collections { get; init; } = [];

    /// <summary>The roles (slug and name).</summary>
    public IReadOnlyList<AppRole> Roles { get; init; } = [];

    /// <summary>The feature permissions, as sent; empty when there are none.</summary>
    public JsonArray Features { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"PermissionsMatrix {{ Collections = {Collections.Count}, Roles = {Roles.Count} }}";
}

/// <summary>One collection of the <see cref="PermissionsMatrix"/>.</summary>
public sealed class CollectionAccess
{
    /// <summary>The collection's id.</summary>
    public required string Id { get; init; }

    /// <summary>Its name.</summary>
    public string? Name { get; init; }

    /// <summary>Its slug.</summary>
    public string? Slug { get; init; }

    /// <summary>What each role may do with it.</summary>
    public IReadOnlyList<RoleAccess> Permissions { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"CollectionAccess {{ Id = {Id}, Name = {Name}, Permissions = {Permissions.Count} }}";
}

/// <summary>What one role may do with one collection.</summary>
public sealed class RoleAccess
{
    /// <summary>The role's slug (or <c>public</c>, <c>authenticated</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The actions: <c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Whether the grant is limited by a condition.</summary>
    public bool HasConditions { get; init; }

    /// <summary>Which documents it reaches (such as <c>own</c> or <c>all</c>), when the server says.</summary>
    public string? DataScope { get; init; }

    /// <summary>The field that names a document's owner, when the scope is the owner's.</summary>
    public string? OwnerField { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"RoleAccess {{ Role = {Role}, Actions = [{string.Join(", ", Actions)}] }}";
}

/// <summary>How the server handles an elevation request.</summary>
public enum ElevationWorkflow
{
    /// <summary>A workflow this SDK does not know.</summary>
    Unknown,

    /// <summary>Approved at once.</summary>
    AutoApproved,

    /// <summary>Waits for an admin.</summary>
    PendingAdminApproval,

    /// <summary>Waits for payment or documents (<see cref="IMudbaseRoles.UploadElevationDocumentsAsync"/>).</summary>
    PendingRequirements,

    /// <summary>Handled by hand.</summary>
    ManualApproval,
}

/// <summary>Where an elevation request stands.</summary>
public enum ElevationStatus
{
    /// <summary>A status this SDK does not know.</summary>
    Unknown,

    /// <summary>Waiting.</summary>
    Pending,

    /// <summary>Approved: the user has the role.</summary>
    Approved,

    /// <summary>Refused.</summary>
    Rejected,
}

/// <summary>The answer to <see cref="IMudbaseRoles.RequestElevationAsync"/>.</summary>
public sealed class ElevationResult
{
    /// <summary>The server's message.</summary>
    public string? Message { get; init; }

    /// <summary>The request's id.</summary>
    public string? RequestId { get; init; }

    /// <summary>The role asked for.</summary>
    public required string RoleSlug { get; init; }

    /// <summary>How the server handles it.</summary>
    public ElevationWorkflow Workflow { get; init; }

    /// <summary>Approved, or pending.</summary>
    public ElevationStatus Status { get; init; }

    /// <summary>What the user must do next, when it is pending; empty otherwise.</summary>
    public IReadOnlyList<string> NextSteps { get; init; } = [];

    /// <summary>How long approval usually takes, as the server words it.</summary>
    public string? EstimatedApprovalTime { get; init; }

    /// <summary>
    /// When approved: the refreshed session, whose user has the new role. Null when pending, or when the refresh failed
    /// on the network (the old session is kept; call <see cref="IMudbaseAuth.RefreshAsync"/> later).
    /// </summary>
    public AuthSession? Session { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"ElevationResult {{ RoleSlug = {RoleSlug}, Status = {Status}, Workflow = {Workflow}, RequestId = {RequestId} }}";
}

/// <summary>One of the signed-in user's elevation requests.</summary>
public sealed class RoleElevation
{
    /// <summary>The request's id.</summary>
    public required string Id { get; init; }

    /// <summary>The role asked for.</summary>
    public required string RoleSlug { get; init; }

    /// <summary>Where it stands.</summary>
    public ElevationStatus Status { get; init; }

    /// <summary>How the server handles it.</summary>
    public ElevationWorkflow Workflow { get; init; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"RoleElevation {{ Id = {Id}, RoleSlug = {RoleSlug}, Status = {Status} }}";
}

/// <summary>A document an elevation asks for: its kind and where it is.</summary>
public sealed class ElevationDocument
{
    /// <summary>Creates a document reference.</summary>
    /// <param name="type">Its kind, such as <c>business_license</c> or <c>id</c>.</param>
    /// <param name="url">Its absolute URL (for example a file uploaded with Storage).</param>
    public ElevationDocument(string type, Uri url)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(url);
        Type = type;
        Url = url;
    }

    /// <summary>Its kind.</summary>
    public string Type { get; }

    /// <summary>Its URL.</summary>
    public Uri Url { get; }

    /// <inheritdoc />
    public override string ToString() => $"ElevationDocument {{ Type = {Type} }}";
}
