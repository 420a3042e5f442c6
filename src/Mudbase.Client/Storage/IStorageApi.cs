using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Storage;

/// <summary>
/// The storage endpoints (CONTRACT.md, Storage), one line each. Made as the view's user when signed in, else with the API
/// key or none. The org calls (bucket writes, uploads, file deletes, direct upload) give back the response, so that a
/// refusal is worded for storage (<see cref="StorageAnswer"/>). The transfers are not here: the multipart upload
/// (<c>POST …/files</c>) and a download's signed URL and bytes (<c>GET /api/bucket/files/{fileId}/download?token=</c>) go out
/// through <see cref="MudbaseStorage.NewRequest"/> (see there why).
/// </summary>
internal interface IStorageApi
{
    [Get("/api/bucket/projects/{projectId}/buckets")]
    Task<BucketListAnswer> ListBucketsAsync(
        string projectId, [Query] int page, [Query] int limit, [Query] string? search,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/bucket/projects/{projectId}/buckets/{bucketId}")]
    Task<BucketAnswer> GetBucketAsync(
        string projectId, string bucketId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/bucket/projects/{projectId}/buckets")]
    Task<HttpResponseMessage> CreateBucketAsync(
        string projectId, [Body] BucketBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Patch("/api/bucket/projects/{projectId}/buckets/{bucketId}")]
    Task<HttpResponseMessage> UpdateBucketAsync(
        string projectId, string bucketId, [Body] BucketBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);

    [Delete("/api/bucket/projects/{projectId}/buckets/{bucketId}")]
    Task<HttpResponseMessage> DeleteBucketAsync(
        string projectId, string bucketId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/bucket/projects/{projectId}/buckets/{bucketId}/files")]
    Task<FileListAnswer> ListFilesAsync(
        string projectId, string bucketId, [Query] int page, [Query] int limit, [Query] string? search, [Query] string? type,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/bucket/projects/{projectId}/buckets/{bucketId}/files/{fileId}")]
    Task<HttpResponseMessage> GetFileAsync(
        string projectId, string bucketId, string fileId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);

    [Delete("/api/bucket/projects/{projectId}/buckets/{bucketId}/files/{fileId}")]
    Task<HttpResponseMessage> DeleteFileAsync(
        string projectId, string bucketId, string fileId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);

    [Post("/api/bucket/projects/{projectId}/buckets/{bucketId}/files/{fileId}/signed-url")]
    Task<SignedUrlAnswer> CreateSignedUrlAsync(
        string projectId, string bucketId, string fileId, [Body] SignedUrlBody body,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/files/download/{fileId}")]
    Task<SignedUrlAnswer> GetDownloadUrlAsync(
        string fileId, [Query] int? expiresIn, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/files/upload/presigned")]
    Task<HttpResponseMessage> PresignAsync(
        [Body] PresignBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/files/upload/confirm")]
    Task<HttpResponseMessage> ConfirmAsync(
        [Body] ConfirmBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
