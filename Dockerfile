# appstreamctl as a container image: `docker build -t appstreamctl .`, then
# `docker run --rm -v "$PWD:/work" -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_SESSION_TOKEN appstreamctl plan`.
# The build stage packs the package exactly as npm would publish it; the runtime stage installs only that
# tarball and its production dependencies, and runs as the unprivileged `node` user.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm pack && mv appstreamctl-*.tgz /appstreamctl.tgz

FROM node:20-alpine
ENV NODE_ENV=production NO_UPDATE_NOTIFIER=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
COPY --from=build /appstreamctl.tgz /tmp/appstreamctl.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/appstreamctl.tgz && rm /tmp/appstreamctl.tgz && npm cache clean --force
USER node
WORKDIR /work
ENTRYPOINT ["appstreamctl"]
CMD ["--help"]
