using System.Text.Json.Serialization.Metadata;
using Mudbase.Auth;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Data;

/// <summary>The data area of one client or view: what its collection handles share (the Refit client, the session, the error mapping).</summary>
internal sealed class MudbaseData : IMudbaseData
{
    public MudbaseData(IDataApi api, RefitErrorMapper errors, MudbaseClientOptions options, SessionManager sessions, SessionScope scope)
    {
        Scope = scope;
        Api = api;
        Errors = errors;
        Options = options;
        Sessions = sessions;
    }

    public IDataApi Api { get; }

    public RefitErrorMapper Errors { get; }

    public MudbaseClientOptions Options { get; }

    public SessionManager Sessions { get; }

    /// <summary>The session's areas: watches use its realtime connection, made on first use.</summary>
    public SessionScope Scope { get; }

    public DocumentCollection<MudbaseDocument> Collection(string collectionId, string? projectId = null) =>
        Collection(collectionId, MudbaseDocumentJsonConverter.TypeInfo, projectId);

    public DocumentCollection<T> Collection<T>(string collectionId, JsonTypeInfo<T> typeInfo, string? projectId = null)
    {
        Guard.NotBlank(collectionId, nameof(collectionId));
        ArgumentNullException.ThrowIfNull(typeInfo);
        var project = Guard.ProjectId(projectId, Options.ProjectId, nameof(projectId));
        return new DocumentCollection<T>(this, collectionId, project, typeInfo);
    }
}
