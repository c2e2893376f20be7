package dev.quarry.functions.query.api;

import dev.quarry.functions.query.service.ConsoleAssets;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Map;

/**
 * The web console: static files and its sign-in settings, public like the console of any product (the
 * data behind it is not: every call it makes goes to the authenticated API). Same origin as the API,
 * so the API needs no CORS. Not part of the OpenAPI document: the console is a client of the API, not API.
 */
@Path("/console")
public class ConsoleResource {

    @Inject
    ConsoleAssets assets;

    @GET
    @Operation(hidden = true)
    public Response index(@HeaderParam("If-None-Match") String ifNoneMatch) {
        return file("index.html", ifNoneMatch, null);
    }

    @GET
    @Path("/config.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true) // how the console signs in: an API key (local stack) or the Cognito app client
    public Response config() {
        return secured(Response.ok(Map.of("signIn", assets.signIn(), "maxUploadBytes", assets.maxUploadBytes()))).build();
    }

    @GET
    @Path("/{file: .+}")
    @Operation(hidden = true)
    public Response file(@PathParam("file") String file, @HeaderParam("If-None-Match") String ifNoneMatch,
            @HeaderParam("Accept-Encoding") String acceptEncoding) {
        var asset = assets.asset(file.isEmpty() ? "index.html" : file)
                .orElseThrow(() -> ApiException.notFound("No console file '" + file + "'."));
        if (asset.etag().equals(ifNoneMatch)) {
            return secured(Response.notModified().tag(unquoted(asset.etag()))).build();
        }
        boolean gzip = asset.gzipped() != null && acceptEncoding != null && acceptEncoding.toLowerCase().contains("gzip");
        var response = secured(Response.ok(gzip ? asset.gzipped() : asset.bytes(), asset.mediaType()))
                .header("ETag", asset.etag());
        if (asset.gzipped() != null) {
            response.header("Vary", "Accept-Encoding");
        }
        return (gzip ? response.header("Content-Encoding", "gzip") : response).build();
    }

    private Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        // Revalidated on every load (ETag): a deploy is visible at once, an unchanged file costs a 304.
        return response.header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", assets.contentSecurityPolicy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin");
    }

    private static String unquoted(String etag) {
        return etag.substring(1, etag.length() - 1);
    }
}
