# Builds the `oikos` binary and runs it on a slim base.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p oikos-server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/oikos --create-home oikos
COPY --from=build /src/target/release/oikos /usr/local/bin/oikos
USER oikos
WORKDIR /var/lib/oikos
ENV OIKOS_BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["oikos"]
CMD ["serve"]
