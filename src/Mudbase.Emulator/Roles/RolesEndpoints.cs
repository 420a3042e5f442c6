using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Roles;

/// <summary>
/// <c>/api/projects/{projectId}/…</c>, the multi-role calls an app makes (CONTRACT.md, Multi-role). The role list and the
/// elevation calls take a project user's bearer token; the configuration and the permissions matrix also the API key.
/// Admin calls (role configuration, approval) are not served: <c>MudbaseEmulator.ApproveElevation</c> stands in for approval.
/// </summary>
internal sealed class RolesEndpoints(EmulatorStore store, RolesState roles, DataRequests requests, BearerAuthenticator bearer)
{
    public static void Map(IEndpointRouteBuilder routes, RolesEndpoints endpoints)
    {
        var group = routes.MapGroup("/api/projects/{projectId}");
        group.MapGet("/multi-role/roles/available", endpoints.Available);
        group.MapGet("/multi-role", endpoints.Configuration);
        group.MapGet("/permissions-matrix", endpoints.PermissionsMatrix);
        group.MapPost("/role-elevation/request", endpoints.RequestAsync);
        group.MapGet("/role-elevation/status", endpoints.Status);
        group.MapPost("/role-elevation/documents", endpoints.DocumentsAsync);
    }

    public IResult Available(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUser(request, projectId, out var project, out _, out var error))
        {
            return error;
        }

        return Success(writer =>
        {
            writer.WriteStartArray("data");
            foreach (var role in project.Roles)
            {
                writer.WriteStartObject();
                WriteRoleFacts(writer, role);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    public IResult Configuration(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUserOrKey(request, projectId, out var project, out var error))
        {
            return error;
        }

        return Success(writer =>
        {
            writer.WriteStartObject("data");
            writer.WriteBoolean("isEnabled", true);
            writer.WriteString("defaultRole", project.Roles.Count > 0 ? project.Roles[0].Slug : null);
            writer.WriteStartObject("settings");
            writer.WriteBoolean("allowMultipleRoles", false);
            writer.WriteBoolean("requireRoleSelection", false);
            writer.WriteBoolean("autoAssignDefault", false);
            writer.WriteString("dataOwnerField", "userId");
            writer.WriteEndObject();
            writer.WriteStartArray("roles");
            for (var i = 0; i < project.Roles.Count; i++)
            {
                writer.WriteStartObject();
                WriteRoleFacts(writer, project.Roles[i]);
                writer.WriteBoolean("isEnabled", true);
                writer.WriteBoolean("isCustom", i > 0);
                writer.WriteNumber("privilegeLevel", i + 1);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Each collection's grants; a grant with a condition naming <c>$userId</c> is scoped to the owner in that field.</summary>
    public IResult PermissionsMatrix(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUserOrKey(request, projectId, out var project, out var error))
        {
            return error;
        }

        return Success(writer =>
        {
            writer.WriteStartObject("data");
            writer.WriteStartArray("collections");
            foreach (var collection in requests.Data.ListCollections(project.Id))
            {
                writer.WriteStartObject();
                writer.WriteString("id", collection.Id);
                writer.WriteString("name", collection.Name);
                writer.WriteString("slug", collection.Slug);
                writer.WriteStartArray("permissions");
                foreach (var rule in collection.Permissions)
                {
                    var owner = rule.Condition is { ValueKind: JsonValueKind.Object } condition
                        ? condition.EnumerateObject().FirstOrDefault(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is "$userId" or "$user.id").Name
                        : null;
                    writer.WriteStartObject();
                    writer.WriteString("role", rule.Role);
                    writer.WriteStartArray("actions");
                    rule.Actions.ToList().ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                    writer.WriteBoolean("hasConditions", rule.Condition is not null);
                    writer.WriteString("dataScope", owner is null ? "all" : "own");
                    writer.WriteString("ownerField", owner);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("roles");
            foreach (var role in project.Roles)
            {
                writer.WriteStartObject();
                writer.WriteString("slug", role.Slug);
                writer.WriteString("name", role.Name);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("features");
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public async Task<IResult> RequestAsync(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUser(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        if (BodyFields.RequiredString(body, "roleSlug", errors) is not { } slug)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        var (outcome, record) = roles.Request(project, caller.User.Id, slug);
        return outcome switch
        {
            ElevationOutcome.RoleNotFound => ErrorResults.NotFound("Role not found"),
            ElevationOutcome.AlreadyHasRole => ErrorResults.BadRequest("User already has this role"),
            ElevationOutcome.AlreadyPending => ErrorResults.BadRequest("A request for this role is already pending"),
            _ => JsonAnswer.Write(StatusCodes.Status200OK, writer =>
            {
                var approved = record!.Status == "approved";
                writer.WriteStartObject();
                writer.WriteString("message", approved ? "Role elevation approved" : "Role elevation request submitted for approval");
                writer.WriteString("requestId", record.Id);
                writer.WriteString("workflow", record.Workflow);
                writer.WriteString("status", record.Status);
                writer.WriteStartArray("nextSteps");
                if (!approved)
                {
                    writer.WriteStringValue("Wait for an administrator to review your request");
                }

                writer.WriteEndArray();
                if (!approved)
                {
                    writer.WriteString("estimatedApprovalTime", "1-2 business days");
                }

                writer.WriteEndObject();
            }),
        };
    }

    public IResult Status(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUser(request, projectId, out _, out var caller, out var error))
        {
            return error;
        }

        var slug = request.Query["roleSlug"].ToString();
        var records = roles.List(caller.User.Id, slug.Length > 0 ? slug : null);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("requests");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                writer.WriteString("_id", record.Id);
                writer.WriteString("roleSlug", record.RoleSlug);
                writer.WriteString("status", record.Status);
                writer.WriteString("workflow", record.Workflow);
                writer.WriteString("createdAt", JsonAnswer.Timestamp(record.CreatedAt));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    public async Task<IResult> DocumentsAsync(HttpRequest request, string projectId)
    {
        if (!TryBeginAsUser(request, projectId, out _, out var caller, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var slug = BodyFields.RequiredString(body, "roleSlug", errors);
        var documents = body.TryGetProperty("documents", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            && list.EnumerateArray().All(d => d.ValueKind == JsonValueKind.Object && IsText(d, "type") && IsText(d, "url"))
            ? list.GetArrayLength()
            : 0;
        if (documents == 0)
        {
            errors.Add("\"documents\" must be a non-empty array of {type, url}");
        }

        if (slug is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        return roles.AddDocuments(caller.User.Id, slug, documents)
            ? DataRequests.Message("Documents uploaded")
            : ErrorResults.NotFound("No pending request for this role");
    }

    private static bool IsText(JsonElement item, string name) => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;

    /// <summary>The project (400, 404), then a project user of it (401; 403 for another project's user).</summary>
    private bool TryBeginAsUser(
        HttpRequest request, string projectId, [NotNullWhen(true)] out Project? project, [NotNullWhen(true)] out AuthenticatedCaller? caller, [NotNullWhen(false)] out IResult? error)
    {
        caller = null;
        if (!ProjectLookup.TryFind(store, projectId, out project, out error) || !bearer.TryAuthenticate(request, out caller, out error))
        {
            return false;
        }

        if (!string.Equals(caller.User.ProjectId, project.Id, StringComparison.Ordinal))
        {
            error = ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Access denied") { Code = "FORBIDDEN" });
            return false;
        }

        return true;
    }

    /// <summary>As the data routes read credentials, but a caller without any is refused (401).</summary>
    private bool TryBeginAsUserOrKey(HttpRequest request, string projectId, [NotNullWhen(true)] out Project? project, [NotNullWhen(false)] out IResult? error)
    {
        if (!requests.TryBegin(request, projectId, out project, out var caller, out error))
        {
            return false;
        }

        if (caller is DataCaller.Nobody)
        {
            error = ErrorResults.Unauthorized("Authentication required");
            return false;
        }

        return true;
    }

    private static void WriteRoleFacts(Utf8JsonWriter writer, ProjectRole role)
    {
        writer.WriteString("slug", role.Slug);
        writer.WriteString("name", role.Name);
        writer.WriteString("description", role.Description);
        writer.WriteString("signupEndpoint", role.Slug);
        writer.WriteBoolean("requiresApproval", role.RequiresApproval);
        writer.WriteBoolean("requiresPayment", false);
        writer.WriteBoolean("requiresKYC", false);
    }

    private static IResult Success(Action<Utf8JsonWriter> writeData) => JsonAnswer.Write(StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writer.WriteBoolean("success", true);
        writeData(writer);
        writer.WriteEndObject();
    });
}
