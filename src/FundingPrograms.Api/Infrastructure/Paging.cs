namespace FundingPrograms.Infrastructure;

/// <summary>A page of a list: the items, where we are, and how many there are in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total)
{
    public const int MaxPageSize = 200;

    /// <summary>Checks page and size (adding to <paramref name="check"/> when given, else throwing); defaults 1 and 20.</summary>
    public static (int Page, int Size) Normalize(HttpContext http, int? page, int? pageSize, Check? check = null)
    {
        var c = (check ?? new Check()).Bound(http, "page", page).Bound(http, "pageSize", pageSize);
        c.That(page is null or (>= 1 and <= 100_000), "page", "The page number is between 1 and 100000.")
            .That(pageSize is null or (>= 1 and <= MaxPageSize), "pageSize", $"The page size is between 1 and {MaxPageSize}.");
        if (check is null) c.ThrowIfAny();
        return (page ?? 1, pageSize ?? 20);
    }

    public static Page<T> Of(IEnumerable<T> all, int page, int size)
    {
        var list = all as IReadOnlyCollection<T> ?? all.ToList();
        return new Page<T>(list.Skip((page - 1) * size).Take(size).ToList(), page, size, list.Count);
    }
}
