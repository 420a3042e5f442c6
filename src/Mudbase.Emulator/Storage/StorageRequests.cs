using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http.Features;
using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Storage;

/// <summary>What a storage route lets its caller do.</summary>
internal enum StorageAccess
{
    /// <summary>List, read and sign: a project user's token or the API key; no credential is 401.</summary>
    Read,

    /// <summary>
    /// Bucket writes, uploads, file deletes: org calls, the API key only here. An end user's token gets the live 403
    /// <c>{"required":["owner","admin","developer"],"current":"viewer"}</c>.
    /// </summary>
    Org,
}

/// <summary>The first steps of every storage request (the project, the credential, the bucket), and the answers they share.</summary>
internal sealed class StorageRequests(EmulatorStore store, StorageState storage, DataAuthenticator authenticator)
{
    private const string ApiKeyHeader = "X-API-Key";

    public StorageState Storage => storage;

    /// <summary>The project (400 malformed, 404 unknown), then the credential (401, or 403 for another project's user), then the access.</summary>
    public bool TryBegin(HttpRequest request, string projectId, StorageAccess access, [NotNullWhen(true)] out Project? project, [NotNullWhen(false)] out IResult? error) =>
        ProjectLookup.TryFind(store, projectId, out project, out error) && TryAuthorize(request, project, access, out error);

    /// <summary>As <see cref="TryBegin"/>, then the bucket, by its <c>_id</c> (404).</summary>
    public bool TryBucket(
        HttpRequest request,
        string projectId,
        string bucketId,
        StorageAccess access,
        [NotNullWhen(true)] out StorageBucket? bucket,
        [NotNullWhen(false)] out IResult? error)
    {
        bucket = null;
        if (!TryBegin(request, projectId, access, out var project, out error))
        {
            return false;
        }

        bucket = storage.FindBucket(project.Id, bucketId);
        error = bucket is null ? BucketNotFound() : null;
        return bucket is not null;
    }

    /// <summary>
    /// For the routes that name only a file (<c>/api/files/…/{fileId}</c>): a credential must come (401 before
    /// anything else), then the file (404), then the credential must be valid for the file's project.
    /// </summary>
    public bool TryFile(HttpRequest request, string fileId, [NotNullWhen(true)] out StorageFile? file, [NotNullWhen(false)] out IResult? error)
    {
        file = null;
        if (request.Headers.Authorization.Count == 0 && !request.Headers.ContainsKey(ApiKeyHeader))
        {
            error = AuthenticationRequired();
            return false;
        }

        file = FindFile(fileId);
        if (file is null || store.FindProject(file.ProjectId) is not { } project)
        {
            error = FileNotFound();
            return false;
        }

        return TryAuthorize(request, project, StorageAccess.Read, out error);
    }

    public StorageFile? FindFile(string fileId) => ObjectIdGenerator.IsValid(fileId) ? storage.FindFile(fileId) : null;

    public static IResult BucketNotFound() => ErrorResults.NotFound("Bucket not found");

    public static IResult FileNotFound() => ErrorResults.NotFound("File not found");

    public static IResult Message(int statusCode, string message) => JsonAnswer.Write(statusCode, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });

    /// <summary>
    /// Lifts Kestrel's limit on the request body (30 MB by default) for a route that streams bytes to disk: the
    /// emulator's own limit applies instead, per file, with the live 413.
    /// </summary>
    public static void AllowAnyBodySize(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = null;
        }
    }

    /// <summary>
    /// Reads what is left of the request body and drops it, so that an answer sent before the body was read (a 413, a
    /// refusal) reaches a client still sending: a client writes its whole body before it reads the answer.
    /// </summary>
    public static Task DrainAsync(HttpRequest request) => request.Body.CopyToAsync(Stream.Null, request.HttpContext.RequestAborted);

    private bool TryAuthorize(HttpRequest request, Project project, StorageAccess access, [NotNullWhen(false)] out IResult? error)
    {
        if (!authenticator.TryAuthenticate(request, project, out var caller, out error))
        {
            return false;
        }

        error = access == StorageAccess.Org
            ? DataRequests.RequireOrgRole(caller)
            : caller is DataCaller.Nobody ? AuthenticationRequired() : null;
        return error is null;
    }

    private static IResult AuthenticationRequired() => ErrorResults.Unauthorized("Authentication required");
}
