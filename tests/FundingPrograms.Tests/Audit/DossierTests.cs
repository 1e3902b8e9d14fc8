using System.IO.Compression;
using System.Text.Json;
using Alba;
using FundingPrograms.Tests.Infrastructure;
using FundingPrograms.Tests.Payments;
using Marten.Events;

namespace FundingPrograms.Tests.Audit;

public sealed class when_an_auditor_downloads_a_grant_dossier(AppFixture app) : PaymentTest(app)
{
    [Fact]
    public async Task it_holds_the_whole_history_with_its_chain_proof()
    {
        var (payment, _) = await Exported(2000m);
        var endToEnd = (await Payment(payment)).GetProperty("endToEndId").GetString()!;
        await Import(Sample("booked-and-unrelated.xml").Replace("E2E-TEST-0001", endToEnd).Replace("7500.00", "2000.00"));
        await Post(Officer, $"/grants/{GrantId}/amendments", new { amount = 6500m, reason = "Minderbedarf", version = 3 });
        await Host.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        await LettersIssued(); // the letter follows the decision's commit
        var result = await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Auditor}");
            s.Get.Url($"/audit/grants/{GrantId}/dossier");
            s.ContentTypeShouldBe("application/zip");
        });
        using var zip = new ZipArchive(new MemoryStream(result.Context.Response.Body.ReadAllBytes()));
        string Read(string name) => new StreamReader(zip.GetEntry(name)!.Open()).ReadToEnd();
        var names = zip.Entries.Select(e => e.FullName).ToList();
        names.ShouldContain("application.json");
        names.ShouldContain("grant.json");
        names.ShouldContain($"payments/{payment}.json");
        names.ShouldContain("summary.md");

        JsonDocument.Parse(Read("application.json")).RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .ShouldBe(["application_drafted", "application_submitted", "application_formally_checked", "application_assessed", "application_approved"]);
        JsonDocument.Parse(Read("grant.json")).RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString())
            .ShouldContain("grant_amended");
        JsonDocument.Parse(Read($"payments/{payment}.json")).RootElement.EnumerateArray().Last().GetProperty("type").GetString().ShouldBe("payment_booked");
        JsonDocument.Parse(Read("statements.json")).RootElement[0].GetProperty("entries").GetArrayLength().ShouldBe(1);
        var proof = JsonDocument.Parse(Read("chain-proof.json")).RootElement;
        proof.GetProperty("verification").GetProperty("intact").GetBoolean().ShouldBeTrue();
        proof.GetProperty("events").EnumerateArray().ShouldAllBe(e => e.GetProperty("linkHash").GetString()!.Length == 64 && e.GetProperty("sealHash").ValueKind == JsonValueKind.String);
        var summary = Read("summary.md");
        summary.ShouldContain("6500.00 EUR");
        summary.ShouldContain("Minderbedarf");
        summary.ShouldContain("intact");
        (await Get(Finance, $"/audit/grants/{GrantId}/dossier", 403)).ShouldBeProblem(403);
    }
}

internal static class StreamExtensions
{
    public static byte[] ReadAllBytes(this Stream stream)
    {
        if (stream.CanSeek) stream.Position = 0;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
