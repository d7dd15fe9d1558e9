<#-- The licence report shipped in crank-runtime.jar as META-INF/THIRD-PARTY.txt (coordinates, no project URLs). -->
Third-party libraries shaded into crank-runtime.jar (${dependencyMap?size}), with the licences their POMs declare.
Crank itself is Apache-2.0. Some of these are LGPL (openhtmltopdf, JNA is dual Apache-2.0/LGPL, logback is
dual EPL-1.0/LGPL-2.1, jasperreports-fonts): see docs/third-party-licences.md for what that means for you.

<#list dependencyMap as e>
<#assign project = e.getKey()/>
<#assign licenses = e.getValue()/>
(<#list licenses as license>${license}<#sep>) (</#sep></#list>) ${project.name!project.artifactId} (${project.groupId}:${project.artifactId}:${project.version})
</#list>
