namespace AdWallet.Api.Dashboard;

/// <summary>A page where an operator pastes their token; it asks for the dashboard cookie and opens the dashboard.</summary>
internal static class SignInPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Orleans Dashboard: operator sign-in</title></head>
        <body style="font-family: sans-serif; max-width: 40rem; margin: 3rem auto">
          <h1>Orleans Dashboard</h1>
          <p>Paste an operator token (<code>dotnet run --project Api -- token NAME --operator</code>).</p>
          <form id="sign-in">
            <textarea id="token" name="token" rows="6" style="width: 100%" required></textarea>
            <p><button type="submit">Open the dashboard</button></p>
          </form>
          <p id="error" role="alert" style="color: #b00020"></p>
          <script>
            document.getElementById("sign-in").addEventListener("submit", async event => {
              event.preventDefault();
              const token = document.getElementById("token").value.trim();
              const answer = await fetch("/v1/ops/dashboard-session", { method: "POST", headers: { Authorization: "Bearer " + token } });
              if (answer.ok) { window.location.href = "/dashboard/"; return; }
              document.getElementById("error").textContent = answer.status === 403 ? "That token is not an operator's." : "That token is not valid.";
            });
          </script>
        </body>
        </html>
        """;
}
