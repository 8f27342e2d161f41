package gateway.router.videos;

/**
 * What a client asked of a video, in whichever vocabulary it used: the reference's / DashScope's
 * ({@code resolution}, {@code duration}, {@code ratio}) or OpenAI's ({@code seconds}, {@code size}). Null where it
 * said nothing; {@link VideoTerms#of} checks it against the model and fills the rest.
 *
 * @param durationField the field the duration came in ({@code duration} or {@code seconds}), for error messages
 */
record VideoAsk(String prompt, Integer seconds, String durationField, String resolution, String ratio,
                String size, String imageUrl) {
}
