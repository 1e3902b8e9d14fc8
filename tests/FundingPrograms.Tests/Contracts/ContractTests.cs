using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FundingPrograms.Infrastructure;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Contracts;

/// <summary>
/// contracts/ is the published contract. These tests fail when the code drifts from it;
/// `ops/contracts` (UPDATE_CONTRACTS=1) rewrites the files from the code.
/// </summary>
public sealed class the_published_contract(AppFixture app) : ApiTest(app)
{
    private static bool Update => Environment.GetEnvironmentVariable("UPDATE_CONTRACTS") == "1";

    [Fact]
    public async Task the_openapi_document_matches_the_snapshot()
    {
        var live = Pretty((await Get(null, "/openapi/v1.json")).ReadAsText());
        CompareOrUpdate(Repo.File("contracts", "openapi.v1.json"), live);
    }

    [Fact]
    public void every_event_type_is_mapped_once_and_listed_in_the_catalogue()
    {
        var domainEvents = typeof(IDomainEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDomainEvent).IsAssignableFrom(t)).ToArray();
        var catalogued = EventCatalogue.All.Select(e => e.Type).ToArray();
        domainEvents.Except(catalogued).ShouldBeEmpty("every IDomainEvent must be listed in EventCatalogue.All");
        catalogued.Distinct().Count().ShouldBe(catalogued.Length);
        EventCatalogue.All.Select(e => e.Name).Distinct().Count().ShouldBe(EventCatalogue.All.Count);
        EventCatalogue.All.ShouldAllBe(e => System.Text.RegularExpressions.Regex.IsMatch(e.Name, "^[a-z][a-z0-9_]*$"));

        CompareOrUpdate(Repo.File("contracts", "events.md"), EventsMarkdown());
    }

    private static string EventsMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Event catalogue");
        md.AppendLine();
        md.AppendLine("Every event the service stores, by its stable type name (the `type` column of `mt_events`).");
        md.AppendLine("Names never change once published. Every event also carries metadata: `userName`, header `userId`,");
        md.AppendLine("`correlationId`, `causationId`, and the append timestamp. Generated from `EventCatalogue` by `ops/contracts`.");
        var nested = new List<Type>();
        foreach (var group in EventCatalogue.All.GroupBy(e => e.Type.Namespace!.Split('.').Last()))
        {
            md.AppendLine();
            md.AppendLine($"## {group.Key}");
            foreach (var (name, type, summary) in group)
            {
                md.AppendLine();
                md.AppendLine($"### `{name}`");
                md.AppendLine();
                md.AppendLine(summary);
                md.AppendLine();
                md.AppendLine("| field | type |");
                md.AppendLine("|---|---|");
                Fields(md, type, nested);
            }
        }
        if (nested.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## Types used in events");
            for (var i = 0; i < nested.Count; i++)
            {
                md.AppendLine();
                md.AppendLine($"### `{nested[i].Name}`");
                md.AppendLine();
                md.AppendLine("| field | type |");
                md.AppendLine("|---|---|");
                Fields(md, nested[i], nested);
            }
        }
        return md.ToString();
    }

    private static void Fields(StringBuilder md, Type type, List<Type> nested)
    {
        foreach (var p in type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters())
        {
            md.AppendLine($"| `{JsonNamingPolicy.CamelCase.ConvertName(p.Name!)}` | {TypeName(p)} |");
            foreach (var t in Leaves(p.ParameterType))
                if (t.Namespace?.StartsWith("FundingPrograms", StringComparison.Ordinal) == true && !t.IsEnum && !nested.Contains(t)) nested.Add(t);
        }
    }

    private static IEnumerable<Type> Leaves(Type t) =>
        Nullable.GetUnderlyingType(t) is { } inner ? Leaves(inner)
        : t.IsArray ? Leaves(t.GetElementType()!)
        : t.IsGenericType ? t.GetGenericArguments().SelectMany(Leaves)
        : [t];

    private static string TypeName(ParameterInfo p)
    {
        var nullable = new NullabilityInfoContext().Create(p).ReadState == NullabilityState.Nullable;
        return Describe(p.ParameterType) + (nullable && Nullable.GetUnderlyingType(p.ParameterType) is null ? "?" : "");
    }

    private static string Describe(Type t)
    {
        if (Nullable.GetUnderlyingType(t) is { } inner) return Describe(inner) + "?";
        if (t.IsArray) return Describe(t.GetElementType()!) + "[]";
        if (t.IsGenericType)
            return t.Name[..t.Name.IndexOf('`')] + "<" + string.Join(", ", t.GetGenericArguments().Select(Describe)) + ">";
        if (t.IsEnum) return $"{t.Name} ({string.Join(" \\| ", Enum.GetNames(t).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)))})";
        return t.Name;
    }

    private static string Pretty(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    private static void CompareOrUpdate(string path, string live)
    {
        live = live.Replace("\r\n", "\n");
        if (Update)
        {
            File.WriteAllText(path, live);
            return;
        }
        var snapshot = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : "";
        if (snapshot == live) return;

        var a = snapshot.Split('\n');
        var b = live.Split('\n');
        var diff = new StringBuilder($"{Path.GetFileName(path)} differs from what the code produces. Run ops/contracts to update it if the change is intended.\n");
        int shown = 0;
        for (int i = 0; i < Math.Max(a.Length, b.Length) && shown < 30; i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left == right) continue;
            diff.AppendLine($"  line {i + 1}:\n    snapshot: {left.Trim()}\n    code:     {right.Trim()}");
            shown++;
        }
        Assert.Fail(diff.ToString());
    }
}

public static class Repo
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "FundingPrograms.sln"))) return dir.FullName;
        throw new InvalidOperationException("Could not find the repository root (FundingPrograms.sln).");
    }
}
