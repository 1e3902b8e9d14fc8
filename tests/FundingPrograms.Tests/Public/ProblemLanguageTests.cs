using System.Text.Json;
using Alba;
using FundingPrograms.Tests.Infrastructure;

namespace FundingPrograms.Tests.Public;

/// <summary>Problem titles and the generic details follow Accept-Language in the seven languages; English stays the default.</summary>
public sealed class when_a_client_asks_for_problems_in_its_language(AppFixture app) : ApiTest(app)
{
    private async Task<(JsonElement Body, string ContentLanguage)> Problem(string method, string url, string? language, int status, string? token = null, object? body = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (language is not null) s.WithRequestHeader("Accept-Language", language);
            if (token is not null) s.WithRequestHeader("Authorization", $"Bearer {token}");
            if (method == "POST") s.Post.Json(body ?? new { }).ToUrl(url);
            else s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        return (result.ShouldBeProblem(status), result.Context.Response.Headers.ContentLanguage.ToString());
    }

    [Fact]
    public async Task titles_and_generic_details_are_translated_and_field_errors_stay()
    {
        var (notFound, language) = await Problem("GET", $"/programmes/{Guid.NewGuid()}", "tr-TR, en;q=0.5", 404, Officer);
        notFound.GetProperty("title").GetString().ShouldBe("Bulunamadı.");
        language.ShouldBe("tr");

        var (invalid, german) = await Problem("POST", "/programmes", "de", 400, Officer, new { name = new { en = "x" } });
        invalid.GetProperty("title").GetString().ShouldBe("Ein oder mehrere Felder sind ungültig.");
        invalid.GetProperty("detail").GetString().ShouldBe("Bitte korrigieren Sie die unter 'errors' genannten Felder.");
        invalid.GetProperty("errors").EnumerateObject().ShouldNotBeEmpty(); // the field messages themselves are still English
        german.ShouldBe("de");

        var (unauthenticated, arabic) = await Problem("GET", "/programmes", "ar", 401);
        unauthenticated.GetProperty("title").GetString().ShouldBe("يلزم تسجيل الدخول.");
        unauthenticated.GetProperty("detail").GetString()!.ShouldContain("Authorization: Bearer <token>");
        arabic.ShouldBe("ar");

        var (forbidden, _) = await Problem("GET", "/reports/funding", "uk", 403, Applicant(Guid.NewGuid()));
        forbidden.GetProperty("title").GetString().ShouldBe("Вам не дозволено це робити.");
    }

    [Fact]
    public async Task without_one_of_the_seven_languages_problems_stay_english()
    {
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", null, 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "fr, it;q=0.8", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "en, de;q=0.5", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
        (await Problem("GET", $"/programmes/{Guid.NewGuid()}", "*", 404, Officer)).Body.GetProperty("title").GetString().ShouldBe("Not found.");
    }
}
