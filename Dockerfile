# quality-gates in a container: built from source in the first stage (scripts/package, the same
# tarball a release publishes), shipped on Debian slim with only the libraries it loads at run time.
#
#   docker build -t quality-gates .
#   docker run --rm -v "$PWD:/repo" quality-gates run --project-root . --target build
#
# The image's working folder is /repo; reports go to /repo/reports as usual.
ARG SWIFT_IMAGE=swift:6.3-bookworm

FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      pkg-config libxml2-dev libyaml-dev libicu-dev liblzma-dev zlib1g-dev libpq-dev libcurl4-openssl-dev git binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/package \
 && mkdir /out \
 && tar -xzf dist/quality-gates-*-linux-x86_64.tar.gz -C /out --strip-components=1

FROM debian:bookworm-slim
# libcurl4 for HTTP, GraphQL and sign-in checks; libpq5 and libsqlite3-0, loaded when a database
# check or the run history first needs them; CA certificates for https.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libcurl4 libpq5 libsqlite3-0 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out /opt/quality-gates
ENV PATH=/opt/quality-gates/bin:$PATH
WORKDIR /repo
ENTRYPOINT ["quality-gates"]
CMD ["--help"]
