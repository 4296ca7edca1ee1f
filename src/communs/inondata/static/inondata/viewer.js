/* Inondata 3D viewer: three.js (vendored) terrain mesh, water surface coloured by depth class,
   buildings extruded and coloured by the water against them, and a time slider shared with the
   2D map and the tables. The engine's rule is applied per vertex: wet when spill <= level.
   Without WebGL the page says so; the 2D map and the tables carry the same information. */
const viewersNode = document.getElementById("inondata-viewers");
const threeNode = document.getElementById("inondata-three");
const slider = document.getElementById("inondata-slider");
const label = document.getElementById("inondata-frame-label");
const message = document.getElementById("viewer-message");
const EXAGGERATION = 3;
const states = [];

function say(text) {
  if (message) { message.textContent = text; message.hidden = false; }
}

function classColour(scene, depth) {
  for (const c of scene.classes) {
    if (c.upper === null || depth <= c.upper) { return c.colour; }
  }
  return scene.classes[scene.classes.length - 1].colour;
}

function build(THREE, container, scene) {
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio || 1);
  renderer.setSize(container.clientWidth, container.clientHeight);
  container.appendChild(renderer.domElement);
  renderer.domElement.setAttribute("aria-hidden", "true");
  const world = new THREE.Scene();
  world.background = new THREE.Color("#eef2f6");
  const rows = scene.rows, cols = scene.cols, step = scene.spacing;
  let zmin = Infinity, zmax = -Infinity;
  for (const v of scene.z) { zmin = Math.min(zmin, v); zmax = Math.max(zmax, v); }
  const y = (z) => (z - zmin) * EXAGGERATION;
  const width = (cols - 1) * step, depth = (rows - 1) * step;

  function grid(heights, colours) {
    const geometry = new THREE.BufferGeometry();
    const positions = new Float32Array(rows * cols * 3);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        positions[3 * i] = c * step - width / 2;
        positions[3 * i + 1] = heights[i];
        positions[3 * i + 2] = r * step - depth / 2;
      }
    }
    const index = [];
    for (let r = 0; r < rows - 1; r++) {
      for (let c = 0; c < cols - 1; c++) {
        const a = r * cols + c, b = a + 1, d = a + cols, e = d + 1;
        index.push(a, d, b, b, d, e);
      }
    }
    geometry.setIndex(index);
    geometry.setAttribute("position", new THREE.BufferAttribute(positions, 3));
    geometry.setAttribute("color", new THREE.BufferAttribute(colours, 3));
    geometry.computeVertexNormals();
    return geometry;
  }

  const ground = new Float32Array(rows * cols * 3);
  const low = new THREE.Color("#c7d9a7"), high = new THREE.Color("#a08a6a"), tmp = new THREE.Color();
  scene.z.forEach((z, i) => {
    tmp.copy(low).lerp(high, (z - zmin) / ((zmax - zmin) || 1));
    ground[3 * i] = tmp.r; ground[3 * i + 1] = tmp.g; ground[3 * i + 2] = tmp.b;
  });
  world.add(new THREE.Mesh(grid(scene.z.map(y), ground), new THREE.MeshLambertMaterial({ vertexColors: true })));

  const waterGeometry = grid(scene.z.map((z) => y(z) - 1), new Float32Array(rows * cols * 3));
  const water = new THREE.Mesh(waterGeometry, new THREE.MeshLambertMaterial({
    vertexColors: true, transparent: true, opacity: 0.85, side: THREE.DoubleSide }));
  world.add(water);

  const buildings = scene.buildings.map((b) => {
    const shape = new THREE.Shape(b.ring.map(([x, s]) => new THREE.Vector2(x - width / 2, -(s - depth / 2))));
    const geometry = new THREE.ExtrudeGeometry(shape, { depth: b.height * EXAGGERATION, bevelEnabled: false });
    geometry.rotateX(-Math.PI / 2);
    geometry.translate(0, y(b.floor), 0);
    const mesh = new THREE.Mesh(geometry, new THREE.MeshLambertMaterial({ color: "#f5f5f5" }));
    world.add(mesh);
    return { mesh, depths: b.depths };
  });

  world.add(new THREE.AmbientLight(0xffffff, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 2.2);
  sun.position.set(-width, width, -depth);
  world.add(sun);

  const camera = new THREE.PerspectiveCamera(45, container.clientWidth / container.clientHeight, 1, 20 * width);
  const view = { angle: Math.PI / 5, distance: 1.3 * Math.max(width, depth), height: 0.8 * Math.max(width, depth) };
  function place() {
    camera.position.set(view.distance * Math.sin(view.angle), view.height, view.distance * Math.cos(view.angle));
    camera.lookAt(0, y((zmin + zmax) / 2), 0);
  }
  function render() { renderer.render(world, camera); }

  function showFrame(k) {
    const level = scene.frames[k].level;
    const positions = waterGeometry.attributes.position.array;
    const colours = waterGeometry.attributes.color.array;
    const c = new THREE.Color();
    scene.z.forEach((z, i) => {
      const s = scene.spill[i];
      const wet = s !== null && s <= level;
      positions[3 * i + 1] = wet ? y(level) + 0.05 : y(z) - 1;
      c.set(wet ? classColour(scene, level - z) : "#ffffff");
      colours[3 * i] = c.r; colours[3 * i + 1] = c.g; colours[3 * i + 2] = c.b;
    });
    waterGeometry.attributes.position.needsUpdate = true;
    waterGeometry.attributes.color.needsUpdate = true;
    waterGeometry.computeVertexNormals();
    buildings.forEach((b) => {
      const d = b.depths[k] || 0;
      b.mesh.material.color.set(d > 0 ? classColour(scene, d) : "#f5f5f5");
    });
    render();
    container.dataset.frame = String(k);
  }

  let drag = null;
  renderer.domElement.addEventListener("pointerdown", (e) => { drag = { x: e.clientX, y: e.clientY }; });
  window.addEventListener("pointerup", () => { drag = null; });
  renderer.domElement.addEventListener("pointermove", (e) => {
    if (!drag) { return; }
    view.angle -= (e.clientX - drag.x) * 0.01;
    view.height = Math.max(20, view.height + (e.clientY - drag.y) * 2);
    drag = { x: e.clientX, y: e.clientY };
    place(); render();
  });
  renderer.domElement.addEventListener("wheel", (e) => {
    e.preventDefault();
    view.distance = Math.max(50, view.distance * (e.deltaY > 0 ? 1.1 : 0.9));
    place(); render();
  }, { passive: false });
  place();
  return { showFrame, view, place, render };
}

function setFrame(k) {
  states.forEach((s) => s.viewer && s.viewer.showFrame(k));
  states.forEach((s) => {
    const image = document.querySelector(`.inondata-map__svg[data-scenario="${s.config.scenario}"] .inondata-map__depth`);
    if (image && s.config.layers[k]) { image.setAttribute("href", s.config.layers[k]); }
  });
  document.querySelectorAll(".inondata-frames tbody tr").forEach((row) => {
    const current = row.dataset.frame === String(k);
    row.classList.toggle("inondata-current", current);
    if (current) { row.setAttribute("aria-current", "true"); } else { row.removeAttribute("aria-current"); }
  });
  const select = document.getElementById("id_frame");
  if (select) { select.value = String(k); }
  const row = document.querySelector(`.inondata-frames tbody tr[data-frame="${k}"]`);
  if (label && row) {
    const level = Number(row.dataset.level).toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    label.textContent = `t = ${Number(row.dataset.t).toLocaleString("fr-FR")} min — niveau ${level} m`;
  }
  document.body.dataset.inondataFrame = String(k);
}

async function main() {
  if (!viewersNode || !threeNode) { return; }
  const configs = JSON.parse(viewersNode.textContent);
  const sliderGroup = document.getElementById("slider-group");
  if (sliderGroup) { sliderGroup.hidden = false; }
  if (slider) { slider.addEventListener("input", () => setFrame(Number(slider.value))); }
  let THREE = null;
  try {
    THREE = await import(JSON.parse(threeNode.textContent));
  } catch (error) {
    say("La bibliothèque 3D n'a pas pu être chargée ; la carte et les tableaux donnent les mêmes informations.");
  }
  for (const [index, config] of configs.entries()) {
    const container = document.getElementById(`inondata-viewer-${index}`);
    const state = { config, viewer: null };
    states.push(state);
    if (!container || !THREE) { continue; }
    try {
      const response = await fetch(config.scene, { credentials: "same-origin" });
      const scene = await response.json();
      state.viewer = build(THREE, container, scene);
      state.viewer.showFrame(config.frame);
      container.dataset.ready = "true";
    } catch (error) {
      container.dataset.ready = "unavailable";
      say("La vue 3D nécessite WebGL, indisponible ici ; la carte 2D et les tableaux donnent les mêmes informations.");
    }
  }
  const controls = document.getElementById("viewer-controls");
  if (controls && states.some((s) => s.viewer)) {
    controls.hidden = false;
    controls.querySelectorAll("[data-view]").forEach((button) => {
      button.addEventListener("click", () => {
        states.forEach((s) => {
          if (!s.viewer) { return; }
          const v = s.viewer.view;
          if (button.dataset.view === "left") { v.angle += 0.3; }
          if (button.dataset.view === "right") { v.angle -= 0.3; }
          if (button.dataset.view === "in") { v.distance *= 0.85; }
          if (button.dataset.view === "out") { v.distance *= 1.15; }
          s.viewer.place(); s.viewer.render();
        });
      });
    });
  }
  document.body.dataset.inondataViewer = "ready";
}

main();
