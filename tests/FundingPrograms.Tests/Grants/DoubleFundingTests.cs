using System.Text.Json;
using FundingPrograms.Applications;
using FundingPrograms.Grants;
using FundingPrograms.Infrastructure;
using FundingPrograms.Programmes;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Grants;

/// <summary>Double funding across the register (issue 12, item 10) as pure rules: thresholds, overlap and holder edges.</summary>
public sealed class double_funding_rules
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid OtherOrg = Guid.NewGuid();

    private static Application App(Guid org, DateOnly start, DateOnly end, string title = "Frauencafé", string? post = "Koordination",
        ApplicationState state = ApplicationState.Assessed, string material = "Material") => new()
        {
            Id = Guid.NewGuid(), OrganisationId = org, OrganisationName = org == Org ? "Verein Brücke e.V." : "Anderer Verein e.V.", ProgrammeId = Guid.NewGuid(),
            State = state,
            Content = new ApplicationContent(title, "Treffpunkt", "Beschreibung", "II", ["women"], ["05315"], start, end,
            [new CostItem(CostCategory.Staff, "Stelle", 8000m, 25, 12, post), new CostItem(CostCategory.Material, material, 1000m, null, null, null)],
            1500m, 1000m, [], 7000m, FinancingType.Share),
        };

    private static readonly DateOnly Jan = new(2027, 1, 1);
    private static readonly DateOnly Dec = new(2027, 12, 31);

    private static IReadOnlyList<DoubleFundingFinding> Purposes(Application own, Application other, double similarity) =>
        DoubleFunding.Findings(own, [], [new PurposeMatch(other, similarity, 0.5)], []);

    [Fact]
    public void a_purpose_exactly_at_the_threshold_and_overlapping_is_a_finding_with_its_reason()
    {
        var own = App(Org, Jan, Dec, "Sprachcafé für Frauen", "Leitung A");
        var other = App(Org, Jan, Dec, "Frauen-Sprachcafé", "Leitung B", ApplicationState.Approved);
        var finding = Purposes(own, other, 0.6).ShouldHaveSingleItem();
        finding.Kind.ShouldBe("similar-purpose");
        finding.Id.ShouldBe($"similar-purpose:{other.Id:N}");
        finding.Description.ShouldStartWith("Purpose 60 % similar to application 'Frauen-Sprachcafé' of the same organisation, funded 2027-01..2027-12; cost items 50 % similar");
        finding.Similarity.ShouldBe(0.6m);
        finding.OverlapFrom.ShouldBe(Jan);
        finding.OverlapTo.ShouldBe(Dec);
    }

    [Fact]
    public void a_purpose_below_the_threshold_is_none()
    {
        Purposes(App(Org, Jan, Dec), App(Org, Jan, Dec), 0.59).ShouldBeEmpty();
    }

    [Fact]
    public void a_similar_purpose_needs_overlapping_periods_the_same_day_counts()
    {
        var own = App(Org, Jan, Dec);
        Purposes(own, App(Org, Jan.AddYears(-1), Jan.AddDays(-1)), 0.9).ShouldBeEmpty();
        Purposes(own, App(Org, Jan.AddYears(-1), Jan), 0.9).ShouldHaveSingleItem().OverlapTo.ShouldBe(Jan);
    }

    [Fact]
    public void a_similar_purpose_of_another_organisation_or_a_withdrawn_application_is_none()
    {
        var own = App(Org, Jan, Dec);
        Purposes(own, App(OtherOrg, Jan, Dec), 1.0).ShouldBeEmpty();
        Purposes(own, App(Org, Jan, Dec, state: ApplicationState.Withdrawn), 1.0).ShouldBeEmpty();
        Purposes(own, App(Org, Jan, Dec, state: ApplicationState.Rejected), 1.0).ShouldBeEmpty();
        Purposes(own, App(Org, Jan, Dec, state: ApplicationState.Draft), 1.0).ShouldBeEmpty();
    }

    [Fact]
    public void the_same_post_of_another_organisation_in_an_overlapping_period_is_a_finding_that_names_the_overlap()
    {
        var own = App(Org, Jan, Dec, post: "Projektleitung, Frau A. B.");
        var other = App(OtherOrg, new DateOnly(2027, 3, 1), new DateOnly(2027, 6, 30), "Elterncafé", "Projektleitung, Frau A. B.");
        var finding = DoubleFunding.Findings(own, [], [], [new PostMatch("projektleitung, frau a. b.", other, "projektleitung, frau a. b.", 1.0)]).ShouldHaveSingleItem();
        finding.Kind.ShouldBe("same-post");
        finding.Description.ShouldBe("Post 'projektleitung, frau a. b.' also in application 'Elterncafé' of organisation Anderer Verein e.V., " +
            "applied for (assessed), periods overlap 2027-03..2027-06.");
        finding.OtherOrganisationId.ShouldBe(OtherOrg);
        // Stable and deterministic: the same inputs give the same id.
        DoubleFunding.Findings(own, [], [], [new PostMatch("projektleitung, frau a. b.", other, "projektleitung, frau a. b.", 1.0)])[0].Id.ShouldBe(finding.Id);
    }

    [Fact]
    public void the_same_post_in_periods_that_do_not_overlap_or_below_the_threshold_is_none()
    {
        var own = App(Org, new DateOnly(2027, 1, 1), new DateOnly(2027, 6, 30), post: "Projektleitung, Frau A. B.");
        var later = App(OtherOrg, new DateOnly(2027, 7, 1), Dec, post: "Projektleitung, Frau A. B.");
        var overlapping = App(OtherOrg, Jan, Dec, post: "Projektleitung, Frau A. B.");
        DoubleFunding.Findings(own, [], [], [new PostMatch("projektleitung, frau a. b.", later, "projektleitung, frau a. b.", 1.0)]).ShouldBeEmpty();
        DoubleFunding.Findings(own, [], [], [new PostMatch("projektleitung, frau a. b.", overlapping, "x", 0.79)]).ShouldBeEmpty();
        DoubleFunding.Findings(own, [], [], [new PostMatch("projektleitung, frau a. b.", overlapping, "projektleitung, frau a. c.", 0.8)])
            .ShouldHaveSingleItem().Description.ShouldContain("(80 % similar: 'projektleitung, frau a. c.')");
    }

    [Theory]
    [InlineData("Projektleitung, Frau A. B.", true)]
    [InlineData("Sozialpädagogin (Dr. Yılmaz)", true)]
    [InlineData("Leitung Herr Schmidt", true)]
    [InlineData("Projektkoordination", false)]
    [InlineData("Koordination Frauencafé Mülheim", false)]
    [InlineData("Koordination,", false)]
    public void a_post_names_its_holder_after_a_comma_or_with_a_salutation(string post, bool named)
    {
        DoubleFunding.NamesHolder(post).ShouldBe(named);
    }

    [Fact]
    public void the_compared_texts_are_normalised()
    {
        var content = App(Org, Jan, Dec, "  Frauen  Café ", "Projektleitung,  Frau A. B. ").Content;
        DoubleFunding.PurposeText(content).ShouldBe("frauen café treffpunkt");
        DoubleFunding.HeldPostsText(content).ShouldBe("projektleitung, frau a. b.");
        DoubleFunding.HeldPostsText(App(Org, Jan, Dec, post: "Projektkoordination").Content).ShouldBeNull();
    }
}

/// <summary>Double funding across the register over HTTP and PostgreSQL (pg_trgm).</summary>
public sealed class when_double_funding_is_searched_across_the_register(AppFixture app) : GrantTest(app)
{
    private Dictionary<string, object?> Content(string purpose, string title, string summary, string? post = null, string? start = null, string? end = null)
    {
        var content = GrantSamples.NextYearContent(App.Clock, purpose).With("title", title).With("summary", summary);
        if (post is not null)
            content = content.With("costItems", new object[]
            {
                new { category = "staff", description = $"Stelle {purpose}", amount = 8000m, postSharePercent = 25m, months = 12, post },
                new { category = "material", description = $"Material {purpose}", amount = 1000m },
            });
        if (start is not null) content = content.With("periodStart", start).With("periodEnd", end);
        return content;
    }

    private async Task<(Guid Org, string Token)> OtherOrganisation()
    {
        var org = await this.VerifiedOrganisation(App.Token(Roles.Applicant, "Other Founder", sub: "other-founder"), Officer,
            ApplicationSamples.Organisation("Interkultureller Treff Duisburg e.V."));
        return (org, Applicant(org, "Olga Applicant"));
    }

    private async Task<Guid> Submitted(string token, object content)
    {
        var id = await this.Draft(token, CallId, content);
        await Post(token, $"/applications/{id}/submit", new { version = 1 });
        return id;
    }

    private async Task<List<JsonElement>> Findings(Guid id) => (await Get(Approver, $"/applications/{id}/double-funding")).Json().EnumerateArray().ToList();

    [Fact]
    public async Task the_same_purpose_worded_differently_is_found_and_blocks_approval_until_acknowledged()
    {
        var y = FundingYear;
        var first = await this.AssessedApplication(ApplicantToken, CallId, Content("Sprachcafé",
            "Sprachcafé für Frauen in Mülheim", "Wöchentlicher Treffpunkt zum Deutschlernen für neu zugewanderte Frauen."), Officer2);
        await Post(Approver, $"/applications/{first}/approve", GrantSamples.Approval());
        var second = await this.AssessedApplication(ApplicantToken, CallId, Content("Frauentreff",
            "Frauen-Sprachcafé Mülheim", "Wöchentlicher Treffpunkt für neu zugewanderte Frauen zum Deutschlernen."), Officer2);

        var finding = (await Findings(second)).ShouldHaveSingleItem();
        finding.GetProperty("kind").GetString().ShouldBe("similar-purpose");
        finding.GetProperty("id").GetString().ShouldBe($"similar-purpose:{first:N}");
        finding.GetProperty("otherApplicationId").GetGuid().ShouldBe(first);
        var reason = finding.GetProperty("description").GetString()!;
        reason.ShouldMatch(@$"^Purpose \d\d % similar to application 'Sprachcafé für Frauen in Mülheim' of the same organisation, funded {y}-01..{y}-12; cost items \d+ % similar");
        finding.GetProperty("similarity").GetDecimal().ShouldBeGreaterThanOrEqualTo(0.6m);
        (await Findings(second)).Single().GetProperty("id").GetString().ShouldBe(finding.GetProperty("id").GetString()); // deterministic

        var before = (await AllEvents()).Count;
        var refused = (await Post(Approver, $"/applications/{second}/approve", GrantSamples.Approval(), 422)).ShouldBeProblem(422);
        refused.GetProperty("findings")[0].GetProperty("description").GetString().ShouldBe(reason);
        (await AllEvents()).Count.ShouldBe(before);

        var acknowledged = new[] { new { findingId = finding.GetProperty("id").GetString(), reason = "Zweiter Kurs für die Warteliste, andere Teilnehmerinnen" } };
        await Post(Approver, $"/applications/{second}/approve", GrantSamples.Approval(acknowledgements: acknowledged));
        var approved = (ApplicationApproved)(await AllEvents()).Last(e => e.EventTypeName == "application_approved").Data;
        approved.AcknowledgedFindings.ShouldHaveSingleItem().Description.ShouldBe(reason);
    }

    [Fact]
    public async Task another_organisations_purpose_and_generic_posts_raise_nothing()
    {
        var (_, token) = await OtherOrganisation();
        // The other organisation applies for the very same purpose and the same generic post: that is its own project.
        await Submitted(token, Content("Koordination", "Sprachcafé für Frauen in Mülheim", "Wöchentlicher Treffpunkt für Frauen.", "Projektkoordination"));
        await Submitted(token, Content("Werkstatt", "Fahrradwerkstatt Duisburg", "Reparieren und Lernen mit Jugendlichen."));
        var own = await this.AssessedApplication(ApplicantToken, CallId, Content("Sprachcafé",
            "Sprachcafé für Frauen in Mülheim", "Wöchentlicher Treffpunkt für Frauen.", "Projektkoordination"), Officer2);
        (await Findings(own)).ShouldBeEmpty();
        await Post(Approver, $"/applications/{own}/approve", GrantSamples.Approval());
    }

    [Fact]
    public async Task the_same_named_post_in_another_organisation_is_found_only_for_overlapping_periods()
    {
        var y = FundingYear;
        var (_, token) = await OtherOrganisation();
        var overlapping = await Submitted(token, Content("Elterncafé", "Elterncafé Hochfeld", "Beratung für Eltern im Stadtteil.",
            "Projektleitung, Frau A. B.", $"{y}-03-01", $"{y}-06-30"));
        await Submitted(token, Content("Sommerschule", "Sommerschule Marxloh", "Ferienkurse für Kinder.",
            "Projektleitung, Frau C. D.", $"{y}-03-01", $"{y}-06-30"));
        var own = await this.AssessedApplication(ApplicantToken, CallId, Content("Sprachcafé", "Sprachcafé Mülheim", "Deutsch lernen im Café.",
            "Projektleitung, Frau A. B."), Officer2);

        var finding = (await Findings(own)).ShouldHaveSingleItem();
        finding.GetProperty("kind").GetString().ShouldBe("same-post");
        finding.GetProperty("otherApplicationId").GetGuid().ShouldBe(overlapping);
        finding.GetProperty("description").GetString().ShouldBe(
            $"Post 'projektleitung, frau a. b.' also in application 'Elterncafé Hochfeld' of organisation Interkultureller Treff Duisburg e.V., " +
            $"applied for (submitted), periods overlap {y}-03..{y}-06.");
        (await Post(Approver, $"/applications/{own}/approve", GrantSamples.Approval(), 422)).ShouldBeProblem(422);

        // The same post in the other half of the year (no overlap) raises nothing.
        var later = await this.AssessedApplication(ApplicantToken, CallId, Content("Herbstkurs", "Herbstkurs Styrum", "Kurse im Herbst.",
            "Projektleitung, Frau A. B.", $"{y}-07-01", $"{y}-12-31"), Officer2);
        (await Findings(later)).Where(f => f.GetProperty("kind").GetString() == "same-post").ShouldBeEmpty();
    }

    /// <summary>The compared texts of one application as stored, with the row's transaction id (xmin): it moves only when the row is written.</summary>
    private async Task<(string Xmin, string? Purpose, string? Posts)> Texts(Guid id)
    {
        await using var session = App.Store.QuerySession();
        var row = (await session.AdvancedSql.QueryAsync<string>(
            "select concat_ws(chr(9), xmin::text, purpose_text, held_posts) from funding.application_texts where id = ?", CancellationToken.None, id))
            .ShouldHaveSingleItem().Split('\t');
        return (row[0], row.ElementAtOrDefault(1), row.ElementAtOrDefault(2));
    }

    [Fact]
    public async Task the_compared_texts_are_written_only_when_they_change()
    {
        var content = Content("Nähcafé", "Nähcafé Oberhausen", "Gemeinsam nähen und Deutsch sprechen.", "Projektleitung, Herr E. F.");
        var id = await this.Draft(ApplicantToken, CallId, content);
        var drafted = await Texts(id);
        drafted.Purpose.ShouldBe("nähcafé oberhausen gemeinsam nähen und deutsch sprechen.");
        drafted.Posts.ShouldBe("projektleitung, herr e. f.");

        // An edit that leaves title, summary, cost item descriptions and posts as they were does not write the row.
        await Put(ApplicantToken, $"/applications/{id}", new { content = content.With("description", "Eine andere Beschreibung des Vorhabens."), version = 1 });
        (await Texts(id)).ShouldBe(drafted);

        // A new title is written, and the register search finds the application under it.
        await Put(ApplicantToken, $"/applications/{id}", new { content = content.With("title", "Nähstube Oberhausen"), version = 2 });
        var retitled = await Texts(id);
        retitled.Xmin.ShouldNotBe(drafted.Xmin);
        retitled.Purpose.ShouldBe("nähstube oberhausen gemeinsam nähen und deutsch sprechen.");
        await Post(ApplicantToken, $"/applications/{id}/submit", new { version = 3 });
        var other = await this.AssessedApplication(ApplicantToken, CallId, Content("Nähkurs", "Nähstube Oberhausen-Mitte",
            "Gemeinsam nähen und Deutsch sprechen."), Officer2);
        (await Findings(other)).ShouldContain(f => f.GetProperty("kind").GetString() == "similar-purpose" && f.GetProperty("otherApplicationId").GetGuid() == id);
    }

    [Fact]
    public async Task applications_stored_before_the_texts_table_get_their_texts_at_start_up()
    {
        var id = await this.Draft(ApplicantToken, CallId, Content("Chor", "Interkultureller Chor Bottrop", "Singen in vielen Sprachen."));
        await using (var session = App.Store.LightweightSession())
        {
            session.QueueSqlCommand("delete from funding.application_texts where id = ?", id);
            await session.SaveChangesAsync();
        }
        var backfill = new ApplicationTextsBackfill(App.Store, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApplicationTextsBackfill>.Instance);
        await backfill.StartAsync(CancellationToken.None);
        await backfill.ExecuteTask!;
        (await Texts(id)).Purpose.ShouldBe("interkultureller chor bottrop singen in vielen sprachen.");
    }
}
