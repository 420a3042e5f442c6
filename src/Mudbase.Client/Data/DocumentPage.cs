namespace Mudbase.Data;

/// <summary>One page of a query's matches, with the server's paging facts.</summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class DocumentPage<T> : MudbasePage<T>
{
    /// <summary>Creates a page (for tests and mocks).</summary>
    /// <param name="items">The documents on this page.</param>
    /// <param name="page">The page number, from 1.</param>
    /// <param name="pageSize">The page size the server applied.</param>
    /// <param name="total">How many documents match in all.</param>
    /// <param name="totalPages">How many pages there are at this size.</param>
    /// <param name="hasMore">Whether a page follows this one.</param>
    public DocumentPage(IReadOnlyList<T> items, int page, int pageSize, long total, int totalPages, bool hasMore)
        : base(items, page, pageSize, total, totalPages, hasMore)
    {
    }
}
