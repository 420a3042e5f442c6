using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Data;

/// <summary>
/// <c>/api/data/projects/{projectId}/collections/{collectionId}/data[/{documentId}]</c>: list, get, create, update
/// and delete documents. <c>{collectionId}</c> is the collection's <c>_id</c>, slug or name (see
/// <see cref="CollectionSchema.Find"/>). Every call checks the caller's grant (see <see cref="DataAccess"/>);
/// a row outside the caller's condition does not exist for them (404).
/// </summary>
internal sealed class DocumentEndpoints(DataRequests requests)
{
    private DataState Data => requests.Data;

    public IResult List(HttpRequest request, string projectId, string collectionId)
    {
        if (!requests.TryBegin(request, projectId, collectionId, out var collection, out var caller, out var error))
        {
            return error;
        }

        var access = DataAccess.For(collection, caller, DataActions.Read);
        if (!access.Granted)
        {
            return DataAccess.Refuse(collection, caller, DataActions.Read);
        }

        DocumentQuery query;
        try
        {
            query = DocumentQuery.From(request.Query);
        }
        catch (InvalidQueryException exception)
        {
            return DataRequests.InvalidQuery(exception);
        }

        if (Data.Snapshot(collection.Id) is not { } documents)
        {
            return DataRequests.CollectionNotFound();
        }

        var matching = query.Order(documents.Where(document => access.Reaches(document.Body) && query.Filter.Matches(document.Body)));
        var total = matching.Count;
        var totalPages = (int)Math.Ceiling(total / (double)query.Limit);
        var skip = (long)(query.Page - 1) * query.Limit;
        var page = skip >= total ? [] : matching.Skip((int)skip).Take(query.Limit);
        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var document in page)
            {
                if (query.Fields is { } fields)
                {
                    fields.Write(writer, document.Body);
                }
                else
                {
                    document.Body.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
            writer.WriteStartObject("pagination");
            writer.WriteNumber("page", query.Page);
            writer.WriteNumber("limit", query.Limit);
            writer.WriteNumber("total", total);
            writer.WriteNumber("totalPages", totalPages);
            writer.WriteBoolean("hasMore", query.Page < totalPages);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    public IResult Get(HttpRequest request, string projectId, string collectionId, string documentId)
    {
        if (!requests.TryBegin(request, projectId, collectionId, out var collection, out var caller, out var error))
        {
            return error;
        }

        var access = DataAccess.For(collection, caller, DataActions.Read);
        if (!access.Granted)
        {
            return DataAccess.Refuse(collection, caller, DataActions.Read);
        }

        if (Data.FindDocument(collection.Id, documentId) is not { } document || !access.Reaches(document.Body))
        {
            return DataRequests.DocumentNotFound();
        }

        return JsonAnswer.Write(StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data");
            document.Body.WriteTo(writer);
            writer.WriteEndObject();
        });
    }

    public async Task<IResult> CreateAsync(HttpRequest request, string projectId, string collectionId)
    {
        if (!requests.TryBegin(request, projectId, collectionId, out var collection, out var caller, out var error))
        {
            return error;
        }

        var access = DataAccess.For(collection, caller, DataActions.Create);
        if (!access.Granted)
        {
            return DataAccess.Refuse(collection, caller, DataActions.Create);
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        if (DocumentWrites.CheckRequestFields(body, caller) is { } refusal)
        {
            return refusal;
        }

        // A client may name itself as the owner, but nobody else.
        if (access.Fill is { } fill && DocumentWrites.ContradictsFill(body, fill))
        {
            return DataAccess.Refuse(collection, caller, DataActions.Create);
        }

        var id = Data.Ids.Next();
        var document = DocumentWrites.BuildCreated(id, body, collection, access.Fill, Data.TimeProvider.GetUtcNow());
        if (!access.Reaches(document))
        {
            return DataAccess.Refuse(collection, caller, DataActions.Create);
        }

        if (DocumentWrites.ValidateCreated(collection, document) is { Count: > 0 } errors)
        {
            return DocumentWrites.ValidationFailed(errors);
        }

        var outcome = Data.Insert(collection.Id, id, document);
        return outcome.Status == WriteStatus.Done
            ? DataRequests.MessageAndDocument(StatusCodes.Status201Created, "Data created successfully", outcome.Document)
            : DataRequests.Failed(outcome);
    }

    public async Task<IResult> UpdateAsync(HttpRequest request, string projectId, string collectionId, string documentId)
    {
        if (!requests.TryBegin(request, projectId, collectionId, out var collection, out var caller, out var error))
        {
            return error;
        }

        var access = DataAccess.For(collection, caller, DataActions.Update);
        if (!access.Granted)
        {
            return DataAccess.Refuse(collection, caller, DataActions.Update);
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } patch)
        {
            return ErrorResults.InvalidJson();
        }

        if (DocumentWrites.CheckRequestFields(patch, caller) is { } refusal)
        {
            return refusal;
        }

        var read = DataAccess.For(collection, caller, DataActions.Read);
        var now = Data.TimeProvider.GetUtcNow();
        var outcome = Data.Update(collection.Id, documentId, (schema, current) =>
        {
            if (!access.Reaches(current))
            {
                // A row the caller can read but not change is refused; one they cannot even read does not exist for them.
                return new PatchDecision(null, read.Reaches(current) ? DataAccess.Refuse(schema, caller, DataActions.Update) : DataRequests.DocumentNotFound());
            }

            if (DocumentWrites.ValidatePatch(schema, patch) is { Count: > 0 } errors)
            {
                return new PatchDecision(null, DocumentWrites.ValidationFailed(errors));
            }

            var patched = DocumentWrites.BuildPatched(current, patch, now);
            // A row may not be moved out of the caller's reach (another user's id written into userId).
            return access.Reaches(patched)
                ? new PatchDecision(patched, null)
                : new PatchDecision(null, DataAccess.Refuse(schema, caller, DataActions.Update));
        });
        return outcome.Status == WriteStatus.Done
            ? DataRequests.MessageAndDocument(StatusCodes.Status200OK, "Data updated successfully", outcome.Document)
            : DataRequests.Failed(outcome);
    }

    public IResult Delete(HttpRequest request, string projectId, string collectionId, string documentId)
    {
        if (!requests.TryBegin(request, projectId, collectionId, out var collection, out var caller, out var error))
        {
            return error;
        }

        var access = DataAccess.For(collection, caller, DataActions.Delete);
        if (!access.Granted)
        {
            return DataAccess.Refuse(collection, caller, DataActions.Delete);
        }

        var read = DataAccess.For(collection, caller, DataActions.Read);
        var outcome = Data.Delete(collection.Id, documentId, current => access.Reaches(current)
            ? null
            : read.Reaches(current) ? DataAccess.Refuse(collection, caller, DataActions.Delete) : DataRequests.DocumentNotFound());
        return outcome.Status == WriteStatus.Done ? DataRequests.Message("Data deleted successfully") : DataRequests.Failed(outcome);
    }

    /// <summary>Whether a request is a data write, for the hosted 600-per-minute bucket.</summary>
    public static bool IsWrite(HttpRequest request) =>
        (HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method))
        && request.Path.StartsWithSegments("/api/data", StringComparison.OrdinalIgnoreCase);
}
