/**
 * The neutral records the media endpoints and the media provider mappers exchange: an image request and the
 * images it produced, a video job request and a job's observed state, and the HTTP calls a mapper builds
 * ({@link gateway.router.media.MediaCall}). Plain data: nothing here sends a request.
 */
package gateway.router.media;
