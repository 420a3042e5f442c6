using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Data;

/// <summary>
/// <c>/api/schemas/projects/{projectId}/collections[/{collectionId}]</c>. Reads need a credential (a project user's
/// token or the API key); create, update and delete are org calls: the API key, never an end user's token. A
/// collection is addressed by its <c>_id</c>, slug or name, as in the data routes.
/// </summary>
internal sealed class CollectionEndpoints(DataRequests requests)
{
    private DataState Data => requests.Data;

    public IResult List(HttpRequest request, string projectId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (caller is DataCaller.Nobody)
        {
            return ErrorResults.Unauthorized("Authentication required");
        }

        var collections = Data.ListCollections(project.Id);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("collections");
            foreach (var collection in collections)
            {
                JsonAnswer.WriteCollection(writer, collection);
            }

            writer.WriteEndArray();
            writer.WriteNumber("total", collections.Count);
            writer.WriteEndObject();
        });
    }

    public IResult Get(HttpRequest request, string projectId, string collectionId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (caller is DataCaller.Nobody)
        {
            return ErrorResults.Unauthorized("Authentication required");
        }

        return Data.FindCollection(project.Id, collectionId) is { } collection
            ? JsonAnswer.Write(StatusCodes.Status200OK, writer => JsonAnswer.WriteCollection(writer, collection))
            : DataRequests.CollectionNotFound();
    }

    public async Task<IResult> CreateAsync(HttpRequest request, string projectId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (DataRequests.RequireOrgRole(caller) is { } refusal)
        {
            return refusal;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        if (CollectionRequest.Read(body, isCreate: true, errors) is not { } draft)
        {
            return DocumentWrites.ValidationFailed(errors);
        }

        return Data.AddCollection(project.Id, draft) is { } created
            ? MessageAndCollection(StatusCodes.Status201Created, "Collection created successfully", created)
            : Conflict();
    }

    public async Task<IResult> UpdateAsync(HttpRequest request, string projectId, string collectionId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (DataRequests.RequireOrgRole(caller) is { } refusal)
        {
            return refusal;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        if (CollectionRequest.Read(body, isCreate: false, errors) is not { } draft)
        {
            return DocumentWrites.ValidationFailed(errors);
        }

        var (updated, conflict) = Data.UpdateCollection(project.Id, collectionId, draft);
        return updated is not null
            ? MessageAndCollection(StatusCodes.Status200OK, "Collection updated successfully", updated)
            : conflict ? Conflict() : DataRequests.CollectionNotFound();
    }

    public IResult Delete(HttpRequest request, string projectId, string collectionId)
    {
        if (!requests.TryBegin(request, projectId, out var project, out var caller, out var error))
        {
            return error;
        }

        if (DataRequests.RequireOrgRole(caller) is { } refusal)
        {
            return refusal;
        }

        return Data.DeleteCollection(project.Id, collectionId) is not null
            ? DataRequests.Message("Collection deleted successfully")
            : DataRequests.CollectionNotFound();
    }

    private static IResult Conflict() =>
        ErrorResults.Status(StatusCodes.Status409Conflict, new ErrorBody("A collection with this name or slug already exists") { Code = "CONFLICT" });

    private static IResult MessageAndCollection(int statusCode, string message, CollectionSchema collection) => JsonAnswer.Write(statusCode, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WritePropertyName("collection");
        JsonAnswer.WriteCollection(writer, collection);
        writer.WriteEndObject();
    });
}
