namespace Mudbase;

/// <summary>One page of a list (documents, buckets, files), with the server's paging facts.</summary>
/// <typeparam name="T">What is listed.</typeparam>
public abstract class MudbasePage<T>
{
    private protected MudbasePage(IReadOnlyList<T> items, int page, int pageSize, long total, int totalPages, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items;
        Page = page;
        PageSize = pageSize;
        Total = total;
        TotalPages = totalPages;
        HasMore = hasMore;
    }

    /// <summary>What is on this page.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>The page number, from 1.</summary>
    public int Page { get; }

    /// <summary>The page size the server applied (it caps it at 100).</summary>
    public int PageSize { get; }

    /// <summary>How many there are in all.</summary>
    public long Total { get; }

    /// <summary>How many pages there are at this size.</summary>
    public int TotalPages { get; }

    /// <summary>Whether a page follows this one (the server's <c>hasMore</c>, or <c>Page &lt; TotalPages</c> when it does not say).</summary>
    public bool HasMore { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var name = GetType().Name;
        var arity = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(arity < 0 ? name : name.Substring(0, arity))} {{ Page = {Page}, Items = {Items.Count}, Total = {Total}, HasMore = {HasMore} }}";
    }
}
