using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Internal;
using Mudbase.Serialization;

namespace Mudbase.Roles;

// The shapes on the wire (CONTRACT.md, Multi-role), read leniently. Most answers are {success, data}.

/// <summary>A role, in any of the three answers that list roles.</summary>
internal sealed class RoleWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Slug { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Name { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Description { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SignupEndpoint { get; set; }

    public bool? RequiresApproval { get; set; }

    public bool? RequiresPayment { get; set; }

    [JsonPropertyName("requiresKYC")]
    public bool? RequiresKyc { get; set; }

    public bool? IsEnabled { get; set; }

    public bool? IsCustom { get; set; }

    public int? PrivilegeLevel { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }

    public AppRole ToRole() => new()
    {
        Slug = Slug ?? "",
        Name = Name,
        Description = Description,
        SignupEndpoint = SignupEndpoint,
        RequiresApproval = RequiresApproval ?? false,
        RequiresPayment = RequiresPayment ?? false,
        RequiresKyc = RequiresKyc ?? false,
        IsEnabled = IsEnabled,
        IsCustom = IsCustom,
        PrivilegeLevel = PrivilegeLevel,
        AdditionalProperties = WireText.Properties(Unmapped),
    };

    public static IReadOnlyList<AppRole> ToRoles(List<RoleWire?>? roles) => roles?.OfType<RoleWire>().Select(static r => r.ToRole()).ToArray() ?? [];
}

/// <summary><c>{success, data:[role]}</c>.</summary>
internal sealed class AvailableRolesAnswer : IJsonOnDeserialized
{
    public List<RoleWire?>? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The answer has no 'data' array of roles.");
        }
    }
}

/// <summary><c>{success, data:{isEnabled, defaultRole, settings, roles}}</c>.</summary>
internal sealed class RoleConfigurationAnswer : IJsonOnDeserialized
{
    public RoleConfigurationWire? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The answer has no 'data' object.");
        }
    }

    public RoleConfiguration ToConfiguration() => new()
    {
        IsEnabled = Data!.IsEnabled ?? false,
        DefaultRole = Data.DefaultRole,
        Settings = Data.Settings as JsonObject,
        Roles = RoleWire.ToRoles(Data.Roles),
    };
}

internal sealed class RoleConfigurationWire
{
    public bool? IsEnabled { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? DefaultRole { get; set; }

    public JsonNode? Settings { get; set; }

    public List<RoleWire?>? Roles { get; set; }
}

/// <summary><c>{success, data:{collections:[{id, name, slug, permissions}], roles, features}}</c>.</summary>
internal sealed class PermissionsMatrixAnswer : IJsonOnDeserialized
{
    public PermissionsMatrixWire? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The answer has no 'data' object.");
        }
    }

    public PermissionsMatrix ToMatrix() => new()
    {
        Collections = Data!.Collections?.OfType<CollectionAccessWire>().Select(static c => new CollectionAccess
        {
            Id = c.Id ?? c.MongoId ?? "",
            Name = c.Name,
            Slug = c.Slug,
            Permissions = c.Permissions?.OfType<RoleAccessWire>().Select(static p => new RoleAccess
            {
                Role = p.Role ?? "",
                Actions = WireText.Strings(p.Actions),
                HasConditions = p.HasConditions ?? false,
                DataScope = p.DataScope,
                OwnerField = p.OwnerField,
            }).ToArray() ?? [],
        }).ToArray() ?? [],
        Roles = RoleWire.ToRoles(Data.Roles),
        Features = Data.Features as JsonArray ?? [],
    };
}

internal sealed class PermissionsMatrixWire
{
    public List<CollectionAccessWire?>? Collections { get; set; }

    public List<RoleWire?>? Roles { get; set; }

    public JsonNode? Features { get; set; }
}

internal sealed class CollectionAccessWire
{
    public string? Id { get; set; }

    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Name { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Slug { get; set; }

    public List<RoleAccessWire?>? Permissions { get; set; }
}

internal sealed class RoleAccessWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Role { get; set; }

    public List<string?>? Actions { get; set; }

    public bool? HasConditions { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? DataScope { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? OwnerField { get; set; }
}

internal sealed class ElevationRequestBody
{
    public required string RoleSlug { get; init; }
}

/// <summary><c>{message, requestId, workflow, status, nextSteps, estimatedApprovalTime}</c>, or the same inside <c>data</c>.</summary>
internal sealed class ElevationAnswer : IJsonOnDeserialized
{
    public ElevationAnswer? Data { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Message { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? RequestId { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Workflow { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    /// <summary>Texts, or objects (kept as their JSON text).</summary>
    public List<JsonNode?>? NextSteps { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? EstimatedApprovalTime { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if ((Data ?? this).Status is null && (Data ?? this).Workflow is null)
        {
            throw new JsonException("The elevation answer has neither 'status' nor 'workflow'.");
        }
    }

    public ElevationResult ToResult(string roleSlug, Auth.AuthSession? session = null)
    {
        var answer = Data ?? this;
        var workflow = WireText.Enum(answer.Workflow, ElevationWorkflow.Unknown);
        // An answer with only a workflow still says whether it went through.
        var status = answer.Status is null && workflow == ElevationWorkflow.AutoApproved
            ? ElevationStatus.Approved
            : WireText.Enum(answer.Status, ElevationStatus.Unknown);
        return new ElevationResult
        {
            Message = answer.Message ?? Message,
            RequestId = answer.RequestId,
            RoleSlug = roleSlug,
            Workflow = workflow,
            Status = status,
            NextSteps = answer.NextSteps?.OfType<JsonNode>().Select(static step => step is JsonValue v && v.TryGetValue<string>(out var text) ? text : step.ToJsonString()).ToArray() ?? [],
            EstimatedApprovalTime = answer.EstimatedApprovalTime,
            Session = session,
        };
    }
}

/// <summary><c>{requests:[{_id, roleSlug, status, workflow, createdAt}]}</c>; <c>{success, data:[…]}</c> is read too.</summary>
internal sealed class ElevationStatusAnswer : IJsonOnDeserialized
{
    public List<ElevationWire?>? Requests { get; set; }

    public List<ElevationWire?>? Data { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Requests is null && Data is null)
        {
            throw new JsonException("The answer has no 'requests' array.");
        }
    }

    public IReadOnlyList<RoleElevation> ToElevations() =>
        (Requests ?? Data)!.OfType<ElevationWire>().Select(static e => new RoleElevation
        {
            Id = e.MongoId ?? e.Id ?? "",
            RoleSlug = e.RoleSlug ?? "",
            Status = WireText.Enum(e.Status, ElevationStatus.Unknown),
            Workflow = WireText.Enum(e.Workflow, ElevationWorkflow.Unknown),
            CreatedAt = WireText.Time(e.CreatedAt),
        }).ToArray();
}

internal sealed class ElevationWire
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? RoleSlug { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Status { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Workflow { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }
}

internal sealed class ElevationDocumentsBody
{
    public required string RoleSlug { get; init; }

    public required List<ElevationDocumentWire> Documents { get; init; }
}

internal sealed class ElevationDocumentWire
{
    public required string Type { get; init; }

    public required string Url { get; init; }
}
