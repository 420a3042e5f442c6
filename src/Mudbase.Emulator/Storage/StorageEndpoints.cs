using Mudbase.Emulator.Auth;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// Maps the storage area's routes: buckets and their files under <c>/api/bucket</c>, downloads and direct upload under
/// <c>/api/files</c>, and the object store a direct upload PUTs its bytes to, <c>/__storage/{key}</c> (the hosted
/// service's is another host; the emulator is its own).
/// </summary>
internal static class StorageEndpoints
{
    /// <summary>The object store's path, outside <c>/api</c> as a storage host is.</summary>
    public const string ObjectStorePath = "/__storage";

    public static void MapStorageEndpoints(this IEndpointRouteBuilder routes, EmulatorStore store, StorageState storage, BearerAuthenticator bearer)
    {
        var requests = new StorageRequests(store, storage, new DataAuthenticator(bearer));
        var tokens = new DownloadTokens(storage.TimeProvider);

        var buckets = new BucketEndpoints(requests);
        var bucketRoutes = routes.MapGroup("/api/bucket/projects/{projectId}/buckets");
        bucketRoutes.MapGet("", buckets.List);
        bucketRoutes.MapPost("", buckets.CreateAsync);
        bucketRoutes.MapGet("/{bucketId}", buckets.Get);
        bucketRoutes.MapPatch("/{bucketId}", buckets.UpdateAsync);
        bucketRoutes.MapDelete("/{bucketId}", buckets.Delete);

        var files = new FileEndpoints(requests, tokens);
        var fileRoutes = bucketRoutes.MapGroup("/{bucketId}/files");
        fileRoutes.MapGet("", files.List);
        fileRoutes.MapPost("", files.UploadAsync);
        fileRoutes.MapGet("/{fileId}", files.Get);
        fileRoutes.MapDelete("/{fileId}", files.Delete);
        fileRoutes.MapPost("/{fileId}/signed-url", files.SignAsync);

        var downloads = new DownloadEndpoints(requests, tokens);
        routes.MapGet("/api/files/download/{fileId}", downloads.GetDownloadUrl);
        routes.MapGet("/api/files/{fileId}/download", downloads.GetPresignedDownload);
        routes.MapGet("/api/bucket/files/{fileId}/download", downloads.Download);
        routes.MapGet("/api/files/public/{fileId}", downloads.RedirectPublic);

        var direct = new DirectUploadEndpoints(requests);
        routes.MapPost("/api/files/upload/presigned", direct.PresignAsync);
        routes.MapPut(ObjectStorePath + "/{**key}", direct.PutAsync);
        routes.MapPost("/api/files/upload/confirm", direct.ConfirmAsync);
    }

    /// <summary>
    /// Whether a request uploads files, for the hosted per-IP uploads bucket: a multipart upload
    /// (<c>POST /api/bucket/projects/{p}/buckets/{b}/files</c>) or the start of a direct upload (its presign).
    /// </summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (IsPath(request, "/api/files/upload/presigned")
            || Segments(request) is ["api", "bucket", "projects", _, "buckets", _, "files"]);

    /// <summary>Whether a request downloads a file's bytes (<c>GET /api/bucket/files/{fileId}/download</c>), for chaos mode.</summary>
    public static bool IsDownload(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && Segments(request) is ["api", "bucket", "files", _, "download"];

    // Routing ignores case and a trailing slash, so these must too.
    private static bool IsPath(HttpRequest request, string path) =>
        string.Equals(request.Path.Value?.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase);

    private static string[] Segments(HttpRequest request) =>
        (request.Path.Value ?? "").ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries);
}
