using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Collections;

/// <summary>The facade of the schema calls: argument checks, the project from the options, mapping to the public types. No HTTP here.</summary>
internal sealed class MudbaseCollections : IMudbaseCollections
{
    private readonly ICollectionsApi _api;
    private readonly RefitErrorMapper _errors;
    private readonly MudbaseClientOptions _options;
    private readonly SessionManager _sessions;

    public MudbaseCollections(ICollectionsApi api, RefitErrorMapper errors, MudbaseClientOptions options, SessionManager sessions)
    {
        _api = api;
        _errors = errors;
        _options = options;
        _sessions = sessions;
    }

    public Task<IReadOnlyList<CollectionSchema>> ListAsync(string? projectId = null, CancellationToken cancellationToken = default)
    {
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.collections.list", this, project, static (c, project, ct) =>
            MapAsync(c._api.ListAsync(project, c._sessions, ct), project, CollectionsWire.ToSchemas), cancellationToken);
    }

    public Task<CollectionSchema> GetAsync(string collectionId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(collectionId, nameof(collectionId));
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.collections.get", this, (project, collectionId), static (c, arg, ct) =>
            MapAsync(c._api.GetAsync(arg.project, arg.collectionId, c._sessions, ct), arg.project, CollectionsWire.ToSchema), cancellationToken);
    }

    public Task<CollectionSchema> CreateAsync(CreateCollectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Name, "request.Name");
        Guard.NullOrNotBlank(request.Slug, "request.Slug");
        CheckFields(request.Fields, "request.Fields");
        CheckPermissions(request.Permissions, "request.Permissions");
        var project = Guard.ProjectId(request.ProjectId, _options.ProjectId, "request.ProjectId");
        return Operation.RunAsync("mudbase.collections.create", this, (project, body: CollectionsWire.ToBody(request)), static (c, arg, ct) =>
            MapAsync(c._api.CreateAsync(arg.project, arg.body, c._sessions, ct), arg.project, CollectionsWire.ToSchema), cancellationToken);
    }

    public Task<CollectionSchema> UpdateAsync(string collectionId, UpdateCollectionRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(collectionId, nameof(collectionId));
        ArgumentNullException.ThrowIfNull(request);
        if (request is { Name: null, Fields: null, Permissions: null, Settings: null })
        {
            throw new ArgumentException("request changes nothing: set at least one of Name, Fields, Permissions and Settings.", nameof(request));
        }

        Guard.NullOrNotBlank(request.Name, "request.Name");
        if (request.Fields is not null)
        {
            CheckFields(request.Fields, "request.Fields");
        }

        CheckPermissions(request.Permissions, "request.Permissions");
        var project = Guard.ProjectId(request.ProjectId, _options.ProjectId, "request.ProjectId");
        return Operation.RunAsync("mudbase.collections.update", this, (project, collectionId, body: CollectionsWire.ToBody(request)), static (c, arg, ct) =>
            MapAsync(c._api.UpdateAsync(arg.project, arg.collectionId, arg.body, c._sessions, ct), arg.project, CollectionsWire.ToSchema), cancellationToken);
    }

    public Task DeleteAsync(string collectionId, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(collectionId, nameof(collectionId));
        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.collections.delete", this, (project, collectionId), static (c, arg, ct) =>
            JsonAnswer.ExpectSuccessAsync(c._api.DeleteAsync(arg.project, arg.collectionId, c._sessions, ct), c._errors), cancellationToken);
    }

    /// <summary>Maps an answer with the project the call was for (the schema's own, when the answer leaves it out).</summary>
    private static async Task<TResult> MapAsync<TAnswer, TResult>(Task<TAnswer> call, string projectId, Func<TAnswer, string, TResult> map) =>
        map(await call.ConfigureAwait(false), projectId);

    /// <summary>At least one field, each with a name and a type, no two of one name.</summary>
    private static void CheckFields(IReadOnlyList<SchemaField>? fields, string paramName)
    {
        if (fields is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (fields.Count == 0)
        {
            throw new ArgumentException($"{paramName} must have at least one field.", paramName);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i] ?? throw new ArgumentNullException($"{paramName}[{i}]", $"{paramName}[{i}] is null.");
            Guard.NotBlank(field.Name, $"{paramName}[{i}].Name");
            Guard.NotBlank(field.Type, $"{paramName}[{i}].Type");
            if (!names.Add(field.Name))
            {
                throw new ArgumentException($"{paramName} has two fields named '{field.Name}'.", paramName);
            }
        }
    }

    /// <summary>No rules at all, or rules that each name a role and their actions.</summary>
    private static void CheckPermissions(IReadOnlyList<CollectionPermission>? permissions, string paramName)
    {
        for (var i = 0; i < (permissions?.Count ?? 0); i++)
        {
            var rule = permissions![i] ?? throw new ArgumentNullException($"{paramName}[{i}]", $"{paramName}[{i}] is null.");
            Guard.NotBlank(rule.Role, $"{paramName}[{i}].Role");
            for (var j = 0; j < rule.Actions.Count; j++)
            {
                Guard.NotBlank(rule.Actions[j], $"{paramName}[{i}].Actions[{j}]");
            }
        }
    }
}
