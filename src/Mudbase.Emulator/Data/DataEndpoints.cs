using Mudbase.Emulator.Auth;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Data;

/// <summary>Maps the data area's routes: documents under <c>/api/data</c>, collections (schemas) under <c>/api/schemas</c>.</summary>
internal static class DataEndpoints
{
    public static void MapDataEndpoints(this IEndpointRouteBuilder routes, EmulatorStore store, DataState data, BearerAuthenticator bearer)
    {
        var requests = new DataRequests(store, data, new DataAuthenticator(bearer));

        var documents = new DocumentEndpoints(requests);
        var collectionData = routes.MapGroup("/api/data/projects/{projectId}/collections/{collectionId}/data");
        collectionData.MapGet("", documents.List);
        collectionData.MapPost("", documents.CreateAsync);
        collectionData.MapGet("/{documentId}", documents.Get);
        collectionData.MapPatch("/{documentId}", documents.UpdateAsync);
        collectionData.MapDelete("/{documentId}", documents.Delete);

        var collections = new CollectionEndpoints(requests);
        var schemas = routes.MapGroup("/api/schemas/projects/{projectId}/collections");
        schemas.MapGet("", collections.List);
        schemas.MapPost("", collections.CreateAsync);
        schemas.MapGet("/{collectionId}", collections.Get);
        schemas.MapPatch("/{collectionId}", collections.UpdateAsync);
        schemas.MapDelete("/{collectionId}", collections.Delete);
    }
}
